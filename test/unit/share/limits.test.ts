import { strToU8, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkDepth, encodePayload, MAX_ARRAY_ITEMS, MAX_DEPTH, MAX_OBJECT_KEYS, MAX_STRING_CHARS, SHARE_PREFIX, ShareLinkError } from '../../../src/share/codec';
import { readShareLink } from '../../../src/share/payload';
import { MAX_JOBS, MAX_NODES, MAX_PARAMETERS, MAX_TRIGGERS } from '../../../src/share/shape';

/** A link made from JSON text as given (a hostile author need not use JSON.stringify). */
const rawLink = (json: string) => SHARE_PREFIX + Buffer.from(zlibSync(strToU8(json), { level: 9 })).toString('base64url');
const jobLink = (definition: unknown, extra: Record<string, unknown> = {}) => encodePayload({ v: 1, kind: 'job', name: 'j', definition, inputs: [], ...extra });
const node = (i: number) => ({ id: `n${i}`, kind: 'source', source: { type: 'file', path: 'x.csv' } });

function refusal(text: string): string {
  try {
    readShareLink(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ShareLinkError);
    return (err as Error).message;
  }
  throw new Error('the link was accepted');
}

describe('hostile links fail cleanly while decoding (issue 14)', () => {
  it('refuses a job nested 200,000 deep (400 KB) with a ShareLinkError, not a RangeError (issue 14: it threw an uncaught RangeError)', () => {
    const json = `{"v":1,"kind":"job","name":"deep","inputs":[],"definition":{"name":"deep","nodes":[],"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
    expect(json.length).toBeGreaterThan(400_000);
    expect(refusal(rawLink(json))).toBe(`The link was refused: its content is nested more than ${MAX_DEPTH} levels deep (a real pipeline needs about 12)`);
  });

  it('counts nesting outside strings only, and accepts a real depth', () => {
    expect(() => checkDepth(`{"sql":"${'[{'.repeat(100)} \\" ${'['.repeat(50)}"}`)).not.toThrow();
    expect(() => checkDepth('['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH))).not.toThrow();
    expect(() => checkDepth('['.repeat(MAX_DEPTH + 1))).toThrow(ShareLinkError);
  });

  it('refuses wide lists, objects with too many fields, and long strings, saying which', () => {
    expect(refusal(jobLink({ name: 'j', nodes: [], pad: Array(MAX_ARRAY_ITEMS + 1).fill(0) }))).toMatch(/a list of 10,001 items \(at most 10,000\)/);
    expect(refusal(jobLink({ name: 'j', nodes: [], pad: Object.fromEntries(Array.from({ length: MAX_OBJECT_KEYS + 1 }, (_, i) => [`k${i}`, 1])) }))).toMatch(/an object with 1,001 fields/);
    expect(refusal(jobLink({ name: 'j', nodes: [], description: 'x'.repeat(MAX_STRING_CHARS + 1) }))).toMatch(/a text of 100,001 characters/);
  });

  it('refuses too many nodes, parameters, jobs and triggers', () => {
    expect(refusal(jobLink({ name: 'j', nodes: Array.from({ length: MAX_NODES + 1 }, (_, i) => node(i)) }))).toMatch(`the job's nodes has 201 entries (at most ${MAX_NODES})`);
    expect(refusal(jobLink({ name: 'j', nodes: [], parameters: Array.from({ length: MAX_PARAMETERS + 1 }, (_, i) => ({ name: `p${i}`, default: '' })) }))).toMatch(/parameters has 51 entries/);
    const wf = (jobs: number, triggers: number) => encodePayload({ v: 1, kind: 'workflow', name: 'w', inputs: [], definition: {
      workflow: 'w',
      jobs: Array.from({ length: jobs }, (_, i) => ({ name: `j${i}`, nodes: [] })),
      triggers: Array.from({ length: triggers }, (_, i) => ({ Name: `t${i}`, Type: 'ON_DEMAND', Actions: [{ JobName: 'j0' }] })),
    } });
    expect(refusal(wf(MAX_JOBS + 1, 0))).toMatch(/jobs has 51 entries/);
    expect(refusal(wf(1, MAX_TRIGGERS + 1))).toMatch(/triggers has 101 entries/);
    expect(() => readShareLink(wf(MAX_JOBS, MAX_TRIGGERS))).not.toThrow();
  });

  it('refuses jobs whose nodes would break the review page, naming the field', () => {
    expect(refusal(jobLink({ name: 'j', nodes: [{ id: 'a', kind: 'transform', inputs: ['b'], step: { kind: 'Eval', params: {} } }] }))).toMatch('node a has an unknown step "Eval"');
    expect(refusal(jobLink({ name: 'j', nodes: [{ id: 'a', kind: 'transform', inputs: ['b'] }] }))).toMatch('node a has no step');
    expect(refusal(jobLink({ name: 'j', nodes: [{ id: 'a', kind: 'source', source: { type: 'table', name: 42 } }] }))).toMatch('source a (its table) has no name');
    expect(refusal(jobLink({ name: 'j', nodes: [{ id: 'a', kind: 'target', inputs: [], target: { type: 'ftp', format: 'csv' } }] }))).toMatch('target a has an unknown type "ftp"');
    expect(refusal(jobLink({ name: 'j', nodes: [], parameters: [{ name: 'p', default: { sql: 1 } }] }))).toMatch('parameter p\'s value is not text');
    expect(refusal(jobLink({ name: 'j', nodes: [node(1), node(1)].map((n, i) => (i ? { ...n, kind: 'worm' } : n)) }))).toMatch('unknown kind "worm"');
  });

  it('refuses a broken %-escape with a ShareLinkError', () => {
    expect(refusal('%E0%A4%A')).toBe('The link is damaged: it has a broken %-escape');
  });
});
