import type { Column, TableInput } from '../catalog';
import { parseType } from '../schema/types';
import { decodePayload, encodePayload, ShareLinkError } from './codec';
import { findSecrets, stripSecrets } from './secrets';
import { checkJobShape, checkWorkflowShape, MAX_JOBS, MAX_NODES } from './shape';

/** Most columns one expected input (or a shared table) may list. */
export const MAX_COLUMNS = 2_000;

/** A shared catalog table definition (never its data). */
export interface TableShare {
  v: 1;
  kind: 'table';
  database: string;
  table: TableInput;
}

/** A shared job or workflow: the definition as plain JSON, validated by its own module when opened. */
export interface PipelineShare {
  v: 1;
  kind: 'job' | 'workflow';
  name: string;
  definition: unknown;
  /** The input schemas the pipeline expects, so the person opening it can match their files. */
  inputs: { name: string; columns: Column[] }[];
}

export type SharePayload = TableShare | PipelineShare;

/** Options when making a link. */
export interface ShareOptions {
  /** Keep presigned signatures and credentials in the link (off unless the user ticks "include"). */
  includeSecrets?: boolean;
}

const fail = (why: string): never => { throw new ShareLinkError(`The link's content is not valid: ${why}`); };

function checkColumns(columns: unknown, where: string): Column[] {
  if (!Array.isArray(columns)) fail(`${where} is not a list of columns`);
  if ((columns as unknown[]).length > MAX_COLUMNS) fail(`${where} lists ${(columns as unknown[]).length} columns (at most ${MAX_COLUMNS})`);
  return (columns as unknown[]).map((c, i) => {
    const col = c as Column;
    if (!col || typeof col.Name !== 'string' || !col.Name) fail(`${where}[${i}] has no name`);
    if (col.Type !== undefined) {
      if (typeof col.Type !== 'string') fail(`${where}[${i}] (${col.Name}) has a type that is not text`);
      try { parseType(col.Type); } catch (err) { fail(`${where}[${i}] (${col.Name}): ${(err as Error).message}`); }
    }
    return col;
  });
}

/** Check a decoded payload's shape; throws ShareLinkError saying what is wrong. */
export function validatePayload(value: unknown): SharePayload {
  const p = value as Partial<SharePayload> | null;
  if (!p || typeof p !== 'object') fail('it is not an object');
  if (p!.v !== 1) fail(`unknown payload version ${String(p!.v)}`);
  if (p!.kind === 'table') {
    const t = p as TableShare;
    if (typeof t.database !== 'string' || typeof t.table?.Name !== 'string') fail('a table link needs a database and a table name');
    checkColumns(t.table.StorageDescriptor?.Columns ?? [], 'the columns');
    checkColumns(t.table.PartitionKeys ?? [], 'the partition keys');
    return t;
  }
  if (p!.kind === 'job' || p!.kind === 'workflow') {
    const j = p as PipelineShare;
    if (typeof j.name !== 'string' || !j.name) fail(`a ${j.kind} link needs a name`);
    if (!j.definition || typeof j.definition !== 'object') fail(`the ${j.kind} definition is missing`);
    if (!Array.isArray(j.inputs)) fail('the expected inputs are missing');
    if (j.inputs.length > MAX_NODES * MAX_JOBS) fail(`the link lists ${j.inputs.length} expected inputs`);
    j.inputs.forEach((input, i) => {
      if (!input || typeof input.name !== 'string') fail(`input ${i + 1} has no name`);
      checkColumns(input.columns, `input ${i + 1}`);
    });
    const definition = j.kind === 'job' ? checkJobShape(j.definition) : checkWorkflowShape(j.definition);
    return { ...j, definition };
  }
  return fail(`unknown kind "${String(p!.kind)}"`);
}

/** The `#/share/...` link for a payload; secrets are stripped unless explicitly included. */
export function makeShareLink(baseUrl: string, payload: SharePayload, options: ShareOptions = {}): string {
  const safe = options.includeSecrets ? payload : stripSecrets(payload);
  return `${baseUrl.replace(/#.*$/, '')}#/share/${encodePayload(safe)}`;
}

/** Decode and validate the part of a link after `#/share/`; throws only ShareLinkError. */
export function readShareLink(fragment: string): SharePayload {
  let text: string;
  try {
    text = decodeURIComponent(fragment);
  } catch {
    throw new ShareLinkError('The link is damaged: it has a broken %-escape');
  }
  return validatePayload(decodePayload(text));
}

/** What a link would leak if secrets were included, for the "include secrets" warning. */
export function secretsIn(payload: SharePayload): string[] {
  return findSecrets(payload).map((f) => `${f.kind} at ${f.path}`);
}
