import { describe, expect, it } from 'vitest';
import { classifyJson } from '../../../src/classifiers/json';
import { findRecords, parseJsonPath } from '../../../src/classifiers/json-scan';
import { MAP_MIN_KEYS } from '../../../src/classifiers/infer-json';
import { cols, enc, sampleOf } from './helpers';

describe('JSON classifier', () => {
  it('reads JSON Lines and merges fields across records', () => {
    const r = classifyJson(sampleOf('{"id":1,"name":"a","tags":["x"]}\n{"id":2,"score":1.5,"tags":[],"addr":{"city":"P","zip":null}}\n'))!;
    expect(r.classification).toBe('json');
    expect(r.certainty).toBe(1);
    expect(cols(r.schema)).toEqual(['id:bigint', 'name:string', 'tags:array<string>', 'score:double', 'addr:struct<city:string,zip:void>']);
    expect(r.recordCount).toBe(2);
    expect(r.properties).toEqual({});
  });

  it('splits a top-level array into records, never one array column', () => {
    const r = classifyJson(sampleOf('[{"a":1,"d":"2024-01-01"},{"a":2,"d":"2024-02-01"}]'))!;
    expect(cols(r.schema)).toEqual(['a:bigint', 'd:date']);
    expect(r.properties.jsonPath).toBe('$[*]');
    expect(r.recordCount).toBe(2);
  });

  it('makes a choice of conflicting types, widens numbers, and types ISO timestamps', () => {
    const r = classifyJson(sampleOf('{"v":1,"n":1,"t":"2024-01-01T00:00:00Z"}\n{"v":"x","n":2.5,"t":"2024-01-02"}\n'))!;
    expect(cols(r.schema)).toEqual(['v:choice<bigint,string>', 'n:double', 't:timestamp']);
  });

  it(`turns objects with many distinct keys of one type into maps (>= ${MAP_MIN_KEYS} keys, sparse)`, () => {
    const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: i, counts: { [`k${i}`]: i, [`k${i + 100}`]: i * 2 } }));
    const r = classifyJson(sampleOf(lines.join('\n')))!;
    expect(cols(r.schema)).toEqual(['id:bigint', 'counts:map<string,bigint>']);
    const dense = Array.from({ length: 3 }, () => JSON.stringify({ a: 1, b: 'x' }));
    expect(cols(classifyJson(sampleOf(dense.join('\n')))!.schema)).toEqual(['a:bigint', 'b:string']);
  });

  it('follows a custom JsonPath into a nested array', () => {
    const r = classifyJson(sampleOf('{"meta":{"v":1},"records":[{"x":1},{"x":2,"y":true}]}'), { jsonPath: '$.records[*]' })!;
    expect(cols(r.schema)).toEqual(['x:bigint', 'y:boolean']);
    expect(r.properties.jsonPath).toBe('$.records[*]');
    expect(r.recordCount).toBe(2);
    const whole = classifyJson(sampleOf('{"meta":{"v":1},"n":2}'), { jsonPath: '$' })!;
    expect(cols(whole.schema)).toEqual(['meta:struct<v:bigint>', 'n:bigint']);
  });

  it('keeps the complete records of a truncated sample and estimates the count', () => {
    const text = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i })).join('\n');
    const bytes = enc(text);
    const r = classifyJson({ name: 'x', bytes: bytes.subarray(0, 100), totalSize: bytes.length, complete: false })!;
    expect(r.certainty).toBe(1);
    expect(r.recordCountEstimated).toBe(true);
    expect(r.recordCount).toBeGreaterThanOrEqual(40);
    expect(r.recordCount).toBeLessThanOrEqual(60);
  });

  it('asks for a larger sample when no record is complete yet', () => {
    const r = classifyJson({ name: 'x', bytes: enc('{"a":"' + 'x'.repeat(100)), totalSize: 10_000, complete: false })!;
    expect(r.certainty).toBeLessThan(1);
    expect(r.warnings?.[0]).toMatch(/no complete JSON record/);
  });

  it('declines what is not JSON', () => {
    expect(classifyJson(sampleOf('a,b\n1,2\n'))).toBeNull();
    expect(classifyJson(sampleOf('{not json at all'))).toBeNull();
    expect(classifyJson(sampleOf('{"a":1} garbage'))!.certainty).toBeLessThan(1);
  });

  it('bounds deep nesting without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => classifyJson(sampleOf(`{"a":${deep}}`))).not.toThrow();
  });
});

describe('JsonPath and record scanning', () => {
  it('parses the JsonPath forms Glue documents', () => {
    expect(parseJsonPath('$[*]')).toEqual([{ any: true }]);
    expect(parseJsonPath("$.a['b c'][*]")).toEqual([{ key: 'a' }, { key: 'b c' }, { any: true }]);
    expect(() => parseJsonPath('a.b')).toThrow(/must start with/);
  });

  it('finds record spans, ignoring braces inside strings', () => {
    const text = '{"s":"}{"}\n{"t":"\\"]"}';
    const found = findRecords(text, []);
    expect(found.spans.length / 2).toBe(2);
    expect(found.truncated).toBe(false);
  });
});
