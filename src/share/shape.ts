/**
 * The shape a shared job or workflow must have before anything renders or binds it: every field the review
 * page, the binder and the runner touch is checked for its type here, so a hand-made link is refused with
 * a sentence instead of breaking the page halfway through drawing it.
 */
import type { Trigger } from '../catalog';
import { STEP_KINDS } from '../frames/steps';
import type { JobDefinition } from '../jobs/model';
import { ShareLinkError } from './codec';
import type { WorkflowDefinition } from './pipeline';

/** Most nodes in one shared job. */
export const MAX_NODES = 200;
/** Most parameters of one shared job. */
export const MAX_PARAMETERS = 50;
/** Most jobs and triggers in one shared workflow. */
export const MAX_JOBS = 50;
export const MAX_TRIGGERS = 100;
/** Most actions and conditions of one trigger. */
export const MAX_ACTIONS = 50;
/** Longest name (jobs, nodes, parameters, tables): Glue's own limit. */
export const MAX_NAME_CHARS = 255;

const fail = (why: string): never => { throw new ShareLinkError(`The link's content is not valid: ${why}`); };

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function name(v: unknown, where: string): string {
  if (typeof v !== 'string' || !v) fail(`${where} has no name`);
  if ((v as string).length > MAX_NAME_CHARS) fail(`${where} has a name longer than ${MAX_NAME_CHARS} characters`);
  return v as string;
}

function text(v: unknown, where: string, optional = false): void {
  if (v === undefined && optional) return;
  if (typeof v !== 'string') fail(`${where} is not text`);
}

function list(v: unknown, where: string, max: number, optional = false): unknown[] {
  if (v === undefined && optional) return [];
  if (!Array.isArray(v)) fail(`${where} is not a list`);
  if ((v as unknown[]).length > max) fail(`${where} has ${(v as unknown[]).length} entries (at most ${max})`);
  return v as unknown[];
}

function texts(v: unknown, where: string, optional = false): void {
  list(v, where, 10_000, optional).forEach((x, i) => text(x, `${where}[${i}]`));
}

function checkSource(v: unknown, where: string): void {
  if (!isObject(v)) fail(`${where} says nothing about what it reads`);
  const s = v as Record<string, unknown>;
  if (s['type'] === 'catalog') { name(s['database'], `${where} (its database)`); name(s['table'], `${where} (its table)`); }
  else if (s['type'] === 'file') { text(s['path'], `${where}'s path`); text(s['format'], `${where}'s format`, true); text(s['delimiter'], `${where}'s delimiter`, true); text(s['rowTag'], `${where}'s row tag`, true); }
  else if (s['type'] === 'table') name(s['name'], `${where} (its table)`);
  else fail(`${where} has an unknown type "${String(s['type'])}"`);
}

function checkTarget(v: unknown, where: string): void {
  if (!isObject(v)) fail(`${where} says nothing about where it writes`);
  const t = v as Record<string, unknown>;
  if (!['parquet', 'csv', 'ndjson'].includes(t['format'] as string)) fail(`${where} has an unknown format "${String(t['format'])}"`);
  texts(t['partitionBy'], `${where}'s partition columns`, true);
  text(t['compression'], `${where}'s compression`, true);
  if (t['type'] === 'download') text(t['name'], `${where}'s name`, true);
  else if (t['type'] === 'workspace') { text(t['path'], `${where}'s path`); text(t['database'], `${where}'s database`, true); text(t['table'], `${where}'s table`, true); }
  else if (t['type'] === 's3') { text(t['location'], `${where}'s location`); text(t['putUrls'], `${where}'s PUT URLs`); }
  else fail(`${where} has an unknown type "${String(t['type'])}"`);
}

/** Check a shared job definition's shape; throws ShareLinkError naming the first wrong field. */
export function checkJobShape(value: unknown, where = 'the job'): JobDefinition {
  if (!isObject(value)) fail(`${where} is not an object`);
  const def = value as Record<string, unknown>;
  name(def['name'], where);
  if (def['version'] !== undefined && def['version'] !== 1) fail(`${where} has an unknown version ${String(def['version'])}`);
  text(def['description'], `${where}'s description`, true);
  text(def['bookmark'], `${where}'s bookmark option`, true);
  for (const k of ['timeout', 'maxRetries', 'maxConcurrentRuns']) if (def[k] !== undefined && typeof def[k] !== 'number') fail(`${where}'s ${k} is not a number`);
  const nodes = list(def['nodes'], `${where}'s nodes`, MAX_NODES);
  nodes.forEach((n, i) => {
    if (!isObject(n)) fail(`node ${i + 1} of ${where} is not an object`);
    const node = n as Record<string, unknown>;
    const id = name(node['id'], `node ${i + 1} of ${where}`);
    const at = `node ${id}`;
    text(node['label'], `${at}'s label`, true);
    if (node['kind'] === 'source') checkSource(node['source'], `source ${id}`);
    else if (node['kind'] === 'transform' || node['kind'] === 'target') {
      list(node['inputs'], `${at}'s inputs`, 2).forEach((x, j) => text(x, `${at}'s input ${j + 1}`));
      if (node['kind'] === 'target') checkTarget(node['target'], `target ${id}`);
      else {
        const step = node['step'];
        if (!isObject(step)) fail(`${at} has no step`);
        const s = step as Record<string, unknown>;
        if (!STEP_KINDS.includes(s['kind'] as never)) fail(`${at} has an unknown step "${String(s['kind'])}"`);
        if (!isObject(s['params'])) fail(`${at}'s ${String(s['kind'])} step has no parameters`);
        text(s['id'], `${at}'s step id`, true);
      }
    } else fail(`${at} has an unknown kind "${String(node['kind'])}"`);
  });
  list(def['parameters'] ?? [], `${where}'s parameters`, MAX_PARAMETERS).forEach((p, i) => {
    if (!isObject(p)) fail(`parameter ${i + 1} of ${where} is not an object`);
    const param = p as Record<string, unknown>;
    name(param['name'], `parameter ${i + 1} of ${where}`);
    text(param['default'], `parameter ${String(param['name'])}'s value`);
    text(param['description'], `parameter ${String(param['name'])}'s description`, true);
  });
  return { ...(value as unknown as JobDefinition), version: 1, parameters: (def['parameters'] as JobDefinition['parameters'] | undefined) ?? [], bookmark: (def['bookmark'] as JobDefinition['bookmark'] | undefined) ?? 'job-bookmark-disable' };
}

function checkTrigger(value: unknown, i: number): Trigger {
  if (!isObject(value)) fail(`trigger ${i + 1} is not an object`);
  const t = value as Record<string, unknown>;
  const n = name(t['Name'], `trigger ${i + 1}`);
  const at = `trigger ${n}`;
  if (!['SCHEDULED', 'CONDITIONAL', 'ON_DEMAND', 'EVENT'].includes(t['Type'] as string)) fail(`${at} has an unknown type "${String(t['Type'])}"`);
  text(t['Schedule'], `${at}'s schedule`, true);
  text(t['Description'], `${at}'s description`, true);
  text(t['WorkflowName'], `${at}'s workflow`, true);
  list(t['Actions'], `${at}'s actions`, MAX_ACTIONS).forEach((a, j) => {
    if (!isObject(a)) fail(`action ${j + 1} of ${at} is not an object`);
    const action = a as Record<string, unknown>;
    if (action['JobName'] === undefined && action['CrawlerName'] === undefined) fail(`action ${j + 1} of ${at} starts neither a job nor a crawler`);
    if (action['JobName'] !== undefined) name(action['JobName'], `action ${j + 1} of ${at} (its job)`);
    if (action['CrawlerName'] !== undefined) name(action['CrawlerName'], `action ${j + 1} of ${at} (its crawler)`);
    if (action['Timeout'] !== undefined && typeof action['Timeout'] !== 'number') fail(`action ${j + 1} of ${at} has a timeout that is not a number`);
    if (action['Arguments'] !== undefined) {
      if (!isObject(action['Arguments'])) fail(`action ${j + 1} of ${at} has arguments that are not an object`);
      for (const [k, v] of Object.entries(action['Arguments'] as object)) text(v, `argument ${k} of ${at}`);
    }
  });
  if (t['Predicate'] !== undefined) {
    if (!isObject(t['Predicate'])) fail(`${at}'s condition is not an object`);
    const p = t['Predicate'] as Record<string, unknown>;
    if (p['Logical'] !== undefined && p['Logical'] !== 'AND' && p['Logical'] !== 'ANY') fail(`${at}'s condition joins with "${String(p['Logical'])}"`);
    list(p['Conditions'], `${at}'s conditions`, MAX_ACTIONS, true).forEach((c, j) => {
      if (!isObject(c)) fail(`condition ${j + 1} of ${at} is not an object`);
      const cond = c as Record<string, unknown>;
      if (cond['JobName'] === undefined && cond['CrawlerName'] === undefined) fail(`condition ${j + 1} of ${at} watches neither a job nor a crawler`);
      for (const k of ['JobName', 'CrawlerName', 'State', 'CrawlState', 'LogicalOperator']) text(cond[k], `condition ${j + 1} of ${at} (${k})`, true);
    });
  }
  return value as unknown as Trigger;
}

/** Check a shared workflow's shape (its triggers and jobs); throws ShareLinkError naming the first wrong field. */
export function checkWorkflowShape(value: unknown): WorkflowDefinition {
  if (!isObject(value)) fail('the workflow is not an object');
  const wf = value as Record<string, unknown>;
  const workflow = name(wf['workflow'], 'the workflow');
  const triggers = list(wf['triggers'], 'the workflow\'s triggers', MAX_TRIGGERS).map(checkTrigger);
  const jobs = list(wf['jobs'], 'the workflow\'s jobs', MAX_JOBS).map((j, i) => checkJobShape(j, `job ${i + 1} of the workflow`));
  const seen = new Set<string>();
  for (const j of jobs) { if (seen.has(j.name)) fail(`two jobs are called ${j.name}`); seen.add(j.name); }
  seen.clear();
  for (const t of triggers) { if (seen.has(t.Name)) fail(`two triggers are called ${t.Name}`); seen.add(t.Name); }
  return { workflow, triggers, jobs };
}
