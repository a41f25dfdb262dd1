/**
 * One attempt of a job: sources are resolved to files (bookmark-filtered per transformation_ctx = node id)
 * and loaded, transforms run node by node as tables `<prefix><nodeId>`, targets are written. Per-node timings,
 * rows, bytes and log lines come back; an abort (stop, timeout) ends the run between engine calls.
 */
import type { Catalog, Change } from '../catalog/store';
import { cleanError } from '../engine/engine';
import { quoteIdent, quoteLiteral } from '../engine/sql';
import { factsSql, readFacts, StepError } from '../frames/compile';
import type { StructField } from '../schema/types';
import { selectFiles, type BookmarkOption, type FileMark, type JobBookmark } from './bookmarks';
import { compileTransform, relationOf } from './compile';
import { countOf, schemaOf, type JobEngine } from './engine';
import { parseInputRef, resolveArguments, substitute, topoOrder, validateDag, type JobDefinition, type JobNode, type TargetNode } from './model';
import { dataFiles, loadFiles, planSource, type ResolvedFile } from './sources';
import { resolveTable } from '../query/resolve';
import { stageOutput, type OutputStore, type StagedOutput, type VersionFile } from './publish';
import { previousOutput, registerOutput, writeModeOf, writeTarget, type PreviousOutput } from './targets';
import type { OutputFile } from './writers';

/** How an attempt ended (Glue's terminal job run states). */
export type AttemptState = 'SUCCEEDED' | 'FAILED' | 'STOPPED' | 'TIMEOUT' | 'ERROR';

/** What one node did. */
export interface NodeMetrics {
  nodeId: string;
  kind: JobNode['kind'];
  state: 'SUCCEEDED' | 'FAILED' | 'NOT_RUN';
  /** Offset from the start of the run, and duration, in milliseconds. */
  startMs: number;
  elapsedMs: number;
  rows: number;
  /** Sources: bytes of the files read. Targets: bytes written. */
  bytes: number;
  files: number;
  skippedFiles: number;
  errorRecords: number;
}

export interface LogLine { atMs: number; level: 'info' | 'warn' | 'error'; nodeId?: string; message: string }

/** What a target wrote: where, and the files (their bytes kept only for download targets). */
export interface TargetOutput {
  nodeId: string;
  location: string;
  files: { path: string; rows: number; bytes: number }[];
  download?: OutputFile[];
}

/** The result of one attempt. */
export interface JobRunResult {
  state: AttemptState;
  error?: string;
  /** The node the run failed at, and the column when known. */
  failedNode?: string;
  column?: string;
  durationMs: number;
  rowsRead: number;
  rowsWritten: number;
  bytesRead: number;
  bytesWritten: number;
  nodes: NodeMetrics[];
  log: LogLine[];
  outputs: TargetOutput[];
  /** Files each source read, by transformation_ctx: what the bookmark advances by on success. */
  processed: Record<string, FileMark[]>;
  /** The schema each node produced (the DuckDB SQL export and the editor's checks use them). */
  schemas: Record<string, StructField[]>;
  arguments: Record<string, string>;
  /** Catalog changes the run made (output tables); already committed when a catalog was given. */
  catalogChanges: Change[];
}

/** Where the runner gets files and puts outputs: the browser and Node differ only here. */
export interface JobRunEnv {
  engine: JobEngine;
  /** Files under a location (folder or single file), recursively, paths relative to the location. */
  listFiles(location: string): Promise<ResolvedFile[]>;
  /**
   * Store a download or S3 target's files and return the location recorded for them. Workspace targets go
   * through `outputs` when the environment has it (atomic, versioned); otherwise here, replacing the folder.
   */
  writeFiles(node: TargetNode, files: OutputFile[]): Promise<string>;
  /** Where workspace targets keep their versions (see publish.ts), and the folder of a target in it (checked). */
  outputs?: { store: OutputStore; folder(node: TargetNode): Promise<string> };
  /** The catalog: catalog sources and output tables need it. */
  catalog?: Catalog;
  /** Per source node: a location or path replacing the source's own (the CLI's --input name=path). */
  inputs?: Record<string, string>;
  /**
   * A user's own job run with `epoxy run --trust`: its SQL text skips the SQL guard (the engine must be
   * trusted too for it to read files). Never set for a shared or scheduled run of someone else's job.
   */
  trusted?: boolean;
}

export interface RunOptions {
  arguments?: Record<string, string>;
  bookmark?: JobBookmark;
  signal?: AbortSignal;
  /** Called with each log line as it happens (live run view, CLI). */
  onLog?: (line: LogLine) => void;
  /** Called when a node starts and ends (live DAG colouring). */
  onNode?: (nodeId: string, metrics: NodeMetrics | null) => void;
  /** Prefix of the tables the run creates; the default is unique per run. */
  prefix?: string;
  /** Keep the node tables after the run (previews); by default they are dropped. */
  keepTables?: boolean;
  /** Previews: cut every source to its first N rows, so edits re-run in a blink on any data size. */
  sampleRows?: number;
  /** The run's id: its output files are named after it (part-00000-<tag>), so appends never collide. */
  runId?: string;
  /**
   * Commit the run's catalog changes (its output tables) together with the caller's own (the run record,
   * the bookmark) in ONE transaction. Called once every node succeeded; the new outputs replace the old
   * ones only when it returns, and when it throws the run FAILS with the old outputs left as they were.
   * Without it, a run with a catalog commits its changes alone.
   */
  commit?: (changes: Change[], result: JobRunResult) => Promise<void>;
}

let runCounter = 0;

/** Whether an abort reason means a timeout (AbortSignal.timeout, the scheduler's timer) rather than a stop. */
export function isTimeout(reason: unknown): boolean {
  return (reason instanceof DOMException && reason.name === 'TimeoutError') || (reason instanceof Error && /timed out|timeout/i.test(reason.message));
}

class Stopped extends Error {}

/** The commit that makes a run's outputs current failed (the error it threw is the cause). */
class CommitFailed extends Error {
  constructor(override readonly cause: unknown) { super('commit failed'); }
}

function newRunTag(): string {
  return 'jr_' + [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Run one attempt of a job. Never throws: every failure is a state with the failing node in the result. */
export async function executeJob(def: JobDefinition, env: JobRunEnv, opts: RunOptions = {}): Promise<JobRunResult> {
  const started = performance.now();
  const at = () => performance.now() - started;
  const args = resolveArguments(def, opts.arguments);
  const option = bookmarkOption(def, opts.arguments);
  const prefix = opts.prefix ?? `__job${++runCounter}_`;
  // The extra outputs some node reads (`split:rest`): only those are kept as tables.
  const extraNames = new Map<string, string[]>();
  const read = new Set(def.nodes.flatMap((n) => (n.kind === 'source' ? [] : n.inputs)).filter((r) => parseInputRef(r).output !== undefined));
  const result: JobRunResult = {
    state: 'SUCCEEDED', durationMs: 0, rowsRead: 0, rowsWritten: 0, bytesRead: 0, bytesWritten: 0, nodes: [], log: [], outputs: [],
    processed: {}, schemas: {}, arguments: args, catalogChanges: [],
  };
  const log = (level: LogLine['level'], message: string, nodeId?: string) => {
    const line: LogLine = { atMs: Math.round(at()), level, message, ...(nodeId ? { nodeId } : {}) };
    result.log.push(line);
    opts.onLog?.(line);
  };
  const check = () => { if (opts.signal?.aborted) throw new Stopped(); };
  // An engine call cannot be interrupted inside the worker; the run still ends as soon as the stop arrives.
  const guard = <T>(p: Promise<T>): Promise<T> => {
    const signal = opts.signal;
    if (!signal) return p;
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) { reject(new Stopped()); return; }
      const onAbort = () => reject(new Stopped());
      signal.addEventListener('abort', onAbort, { once: true });
      p.then((v) => { signal.removeEventListener('abort', onAbort); resolve(v); }, (e) => { signal.removeEventListener('abort', onAbort); reject(e); });
    });
  };
  const engine: JobEngine = {
    query: (sql, limit) => guard(env.engine.query(sql, limit)),
    createChecked: (name, sql, reads) => guard(env.engine.createChecked(name, sql, reads)),
    open: (n, s, size, d) => guard(env.engine.open(n, s, size, d)),
    close: (t) => env.engine.close(t),
    openRecords: (n, s, o) => guard(env.engine.openRecords(n, s, o)),
    writeOutput: (sql, o) => guard(env.engine.writeOutput(sql, o)),
    dropFrame: (ns) => env.engine.dropFrame(ns),
  };
  let current: NodeMetrics | null = null;
  const runId = opts.runId ?? newRunTag();
  const stagedOutputs: StagedOutput[] = [];
  const pendingChanges: Change[] = [];
  const registrations: { nodeId: string; name: string }[] = [];
  try {
    // A job that reads nothing would "succeed" having done nothing: a scheduled run of it is a mistake to report.
    if (!def.nodes.some((n) => n.kind === 'source')) throw new Error(`Job ${def.name} has no source: add one before running it`);
    const problems = validateDag(def).filter((m) => m.severity === 'error');
    if (problems.length) {
      result.failedNode = problems[0]!.nodeId || undefined;
      throw new Error(problems.map((m) => (m.nodeId ? `${m.nodeId}: ${m.message}` : m.message)).join('; '));
    }
    log('info', `Job ${def.name} started (bookmark ${option.replace('job-bookmark-', '')})`);
    let totalErrors = 0;
    for (const node of topoOrder(def)) {
      check();
      current = { nodeId: node.id, kind: node.kind, state: 'NOT_RUN', startMs: Math.round(at()), elapsedMs: 0, rows: 0, bytes: 0, files: 0, skippedFiles: 0, errorRecords: 0 };
      result.nodes.push(current);
      opts.onNode?.(node.id, null);
      const t0 = at();
      const relation = relationOf(prefix, node.id);
      if (node.kind === 'source') {
        const plan = await planSource(substitute(node, args), env.catalog, env.inputs?.[node.id] ? substitute(env.inputs[node.id]!, args) : undefined);
        if (node.source.type === 'table' && !env.inputs?.[node.id]) {
          const name = substitute(node.source.name, args);
          const limit = opts.sampleRows !== undefined ? ` LIMIT ${Math.max(0, Math.trunc(opts.sampleRows))}` : '';
          // A table opened from a file lives as long as the tab that opened it: a scheduled run after a reload
          // must say so, not pass on DuckDB's "does not exist! Did you mean pg_constraint".
          const open = await engine.query(`SELECT count(*)::INTEGER FROM (SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()) WHERE table_name = ${quoteLiteral(name)}`, 1);
          if (!Number(open.rows[0]?.[0] ?? 0)) throw new Error(`it reads the table ${name} that was open in the Workspace, and no table ${name} is open in this tab now (tables opened from files last until the tab closes): open the file again in the Workspace, or make this source a catalog table so it can run at any time`);
          await engine.query(`CREATE OR REPLACE TABLE ${quoteIdent(relation)} AS SELECT * FROM ${quoteIdent(name)}${limit}`, 0);
          current.rows = await countOf(engine, relation);
          log('info', `read ${current.rows} rows from the open table ${name}`, node.id);
        } else {
          const bookmark = opts.bookmark ?? { jobName: def.name, runId: '', sources: {}, history: [] };
          let read: ResolvedFile[];
          let skipped: ResolvedFile[] = [];
          const choose = (all: ResolvedFile[]) => {
            const chosen = selectFiles(option, bookmark, node.id, all);
            skipped = chosen.skipped;
            return chosen.read;
          };
          if (node.source.type === 'catalog' && env.catalog && !env.inputs?.[node.id]) {
            // A catalog table reads through THE resolver, as the SQL box and Transform read it.
            const s = substitute(node, args).source as { database: string; table: string };
            const resolved = await resolveTable(engine, env.catalog, s.database, s.table, { listFiles: (l) => guard(env.listFiles(l)) }, { relation, select: choose, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.sampleRows !== undefined ? { sampleRows: Math.max(1, Math.trunc(opts.sampleRows)) } : {}) });
            read = resolved.read;
            current.rows = resolved.rows;
          } else {
            if (!plan.location) throw new Error('the source has no location');
            read = choose(dataFiles(await guard(env.listFiles(plan.location)), plan.format, !!plan.grok));
            current.rows = await loadFiles(engine, relation, read, plan, skipped[0]);
          }
          if (skipped.length) log('info', `bookmark: ${skipped.length} file${skipped.length === 1 ? '' : 's'} already processed, skipped`, node.id);
          if (opts.sampleRows !== undefined && current.rows > opts.sampleRows) {
            await engine.query(`CREATE OR REPLACE TABLE ${quoteIdent(relation)} AS SELECT * FROM ${quoteIdent(relation)} LIMIT ${Math.max(0, Math.trunc(opts.sampleRows))}`, 0);
            current.rows = await countOf(engine, relation);
          }
          current.files = read.length;
          current.skippedFiles = skipped.length;
          current.bytes = read.reduce((n, f) => n + f.size, 0);
          result.processed[node.id] = read.map(({ path, size, lastModified, etag }) => ({ path, size, ...(lastModified !== undefined ? { lastModified } : {}), ...(etag ? { etag } : {}) }));
          log('info', `read ${current.rows} rows from ${read.length} file${read.length === 1 ? '' : 's'} at ${plan.location}`, node.id);
        }
        result.rowsRead += current.rows;
        result.bytesRead += current.bytes;
      } else if (node.kind === 'transform') {
        const inputs = await Promise.all(node.inputs.map(async (id) => {
          const ref = parseInputRef(id);
          if (ref.output !== undefined && !result.schemas[id]) {
            const outputs = extraNames.get(ref.node) ?? [];
            throw new Error(`input ${id}: ${ref.node} has no output ${ref.output} (${outputs.length ? `its extra outputs: ${outputs.join(', ')}` : 'it has no extra outputs'})`);
          }
          return { relation: relationOf(prefix, id), schema: result.schemas[id] ?? await schemaOf(engine, relationOf(prefix, id)) };
        }));
        const factsQuery = factsSql(node.step, inputs[0]!);
        const facts = factsQuery ? readFacts(node.step, inputs[0]!, (await engine.query(factsQuery, 1)).rows[0] ?? []) : undefined;
        const compiled = compileTransform(node, inputs, args, facts, env.trusted ?? false);
        for (const m of compiled.messages) log(m.severity === 'error' ? 'error' : 'warn', m.column ? `${m.column}: ${m.message}` : m.message, node.id);
        // The step's SQL may hold text from a link: the engine runs it only as one query over this node's inputs.
        await engine.createChecked(relation, compiled.sql, compiled.reads);
        current.rows = await countOf(engine, relation);
        // Extra outputs (SplitRows' rest, a router's groups) are frames later nodes read as `<node>:<output>`.
        extraNames.set(node.id, compiled.extras.map((x) => x.name));
        for (const x of compiled.extras) {
          const ref = `${node.id}:${x.name}`;
          if (!read.has(ref)) continue;
          await engine.createChecked(relationOf(prefix, ref), x.sql, compiled.reads);
          result.schemas[ref] = await schemaOf(engine, relationOf(prefix, ref));
        }
        if (compiled.errorSql) {
          await engine.createChecked(relation + '_errors', compiled.errorSql, compiled.reads);
          // Error records are counted per input record, as runFrame does.
          current.errorRecords = Math.max(0, (await countOf(engine, inputs[0]!.relation)) - current.rows);
          totalErrors += current.errorRecords;
          if (current.errorRecords) log('warn', `${current.errorRecords} error record${current.errorRecords === 1 ? '' : 's'}`, node.id);
        }
        const p = node.step.params as { stageThreshold?: number; totalThreshold?: number };
        if (p.stageThreshold !== undefined && current.errorRecords > p.stageThreshold) throw new Error(`${current.errorRecords} error records exceed stageThreshold ${p.stageThreshold}`);
        if (p.totalThreshold !== undefined && totalErrors > p.totalThreshold) throw new Error(`${totalErrors} error records in the run so far exceed totalThreshold ${p.totalThreshold}`);
        log('info', `${node.step.kind}: ${current.rows} rows`, node.id);
      } else {
        const input = relationOf(prefix, node.inputs[0]!);
        const spec = substitute(node.target, args);
        const files = await writeTarget(engine, input, spec, result.schemas[node.inputs[0]!] ?? []);
        check();
        const target = { ...node, target: spec };
        const mode = writeModeOf(spec, option);
        let location: string;
        let registered: VersionFile[] = files.map((f) => ({ path: f.path, rows: f.rows, bytes: f.bytes.length }));
        let written = registered;
        const before: { output: PreviousOutput | null } = { output: null };
        if (spec.type === 'workspace' && env.outputs) {
          // A new version beside the current output; it becomes the output when the catalog commit says so.
          const base = await env.outputs.folder(target);
          const staged = await stageOutput(env.outputs.store, base, files, {
            mode, partitionBy: spec.partitionBy ?? [], runId,
            registered: async () => {
              before.output = await previousOutput(env.catalog, spec);
              return before.output?.location;
            },
          });
          stagedOutputs.push(staged);
          check();
          location = staged.location;
          registered = staged.files;
          written = staged.written;
          if (staged.kept) log('info', `${mode === 'append' ? 'append' : 'overwrite of the partitions written'}: ${staged.kept} file${staged.kept === 1 ? '' : 's'} of the previous output kept`, node.id);
        } else {
          location = await guard(env.writeFiles(target, files));
        }
        current.rows = files.reduce((n, f) => n + f.rows, 0);
        current.bytes = files.reduce((n, f) => n + f.bytes.length, 0);
        current.files = files.length;
        result.rowsWritten += current.rows;
        result.bytesWritten += current.bytes;
        result.outputs.push({ nodeId: node.id, location, files: written.map((f) => ({ path: f.path, rows: f.rows ?? 0, bytes: f.bytes })), ...(spec.type === 'download' ? { download: files } : {}) });
        const schema = result.schemas[node.inputs[0]!] ?? await schemaOf(engine, input);
        const changes = registerOutput(target, location, schema, registered, { mode, previous: before.output });
        if (changes.length && env.catalog) {
          pendingChanges.push(...changes);
          registrations.push({ nodeId: node.id, name: `${spec.type === 'workspace' ? `${spec.database || 'default'}.${spec.table}` : ''}` });
        }
        log('info', `wrote ${current.rows} rows in ${files.length} ${spec.format} file${files.length === 1 ? '' : 's'} (${current.bytes} bytes) to ${location}${spec.type === 'workspace' ? ` (${mode})` : ''}`, node.id);
      }
      if (node.kind !== 'target') result.schemas[node.id] = await schemaOf(engine, relation);
      current.elapsedMs = Math.round(at() - t0);
      current.state = 'SUCCEEDED';
      opts.onNode?.(node.id, current);
      current = null;
    }
    current = null;
    log('info', `Job ${def.name} succeeded: ${result.rowsRead} rows read, ${result.rowsWritten} written`);
    result.durationMs = Math.round(at());
    // One transaction makes the outputs current, with what the caller adds (the run record, the bookmark):
    // until it commits, readers see the previous outputs, and a kill leaves them as they were.
    try {
      if (opts.commit) await opts.commit(pendingChanges, result);
      else if (pendingChanges.length && env.catalog) await env.catalog.commit(pendingChanges);
    } catch (err) {
      throw new CommitFailed(err);
    }
    result.catalogChanges.push(...pendingChanges);
    for (const r of registrations) log('info', `registered ${r.name} in the catalog`, r.nodeId);
    const published = stagedOutputs.splice(0);
    for (const s of published) {
      // The catalog names the new versions now: what they replace is removed (a kill here leaves orphans the next start removes).
      await s.publish().catch((err: unknown) => log('warn', `the previous output in ${s.base} could not be removed yet (${cleanError(err)}); the next run or start removes it`));
    }
  } catch (err) {
    const stopped = err instanceof Stopped || (opts.signal?.aborted ?? false);
    if (current) {
      current.state = 'FAILED';
      current.elapsedMs = Math.round(at() - current.startMs);
      opts.onNode?.(current.nodeId, current);
      result.failedNode = current.nodeId;
    }
    if (stopped) {
      result.state = isTimeout(opts.signal?.reason) ? 'TIMEOUT' : 'STOPPED';
      result.error = result.state === 'TIMEOUT' ? `the run exceeded its timeout${current ? ` while at ${current.nodeId}` : ''}` : `stopped${current ? ` at ${current.nodeId}` : ''}`;
      delete result.failedNode;
    } else if (err instanceof CommitFailed) {
      result.state = 'FAILED';
      result.error = `the run's outputs could not be recorded in the catalog, so the previous outputs stay: ${cleanError(err.cause)}`;
    } else {
      result.state = 'FAILED';
      if (err instanceof StepError) {
        const first = err.messages.find((m) => m.severity === 'error');
        if (first?.column) result.column = first.column;
        result.error = err.messages.filter((m) => m.severity === 'error').map((m) => (m.column ? `${m.column}: ${m.message}` : m.message)).join('; ');
      } else {
        result.error = cleanError(err);
        const col = /column "?([^"\s]+)"? not found|"([^"]+)" not found/i.exec(result.error);
        if (col) result.column = col[1] ?? col[2];
      }
      // Messages that already name their node (validation, a target's path) are not prefixed twice.
      if (result.failedNode && !result.error.startsWith(`${result.failedNode}: `)) result.error = `${result.failedNode}: ${result.error}`;
    }
    log(result.state === 'STOPPED' ? 'warn' : 'error', result.error!, result.failedNode);
  } finally {
    // A failed, stopped or uncommitted run leaves the previous outputs: its new versions go.
    for (const s of stagedOutputs.splice(0)) await s.discard().catch(() => undefined);
    result.durationMs = Math.round(at());
    if (!opts.keepTables) {
      // Node ids are identifiers, so the prefix's tables are exactly `<prefix>...`; dropFrame drops `<ns>_%`.
      const cleanup = env.engine.dropFrame(prefix.replace(/_$/, '')).catch(() => undefined);
      // After a stop the engine is still busy with the interrupted call: clean up behind it, report now.
      if (result.state === 'SUCCEEDED' || result.state === 'FAILED') await cleanup;
    }
  }
  return result;
}

/** The bookmark option of a run: the run's `--job-bookmark-option` argument, else the job's. */
export function bookmarkOption(def: JobDefinition, args?: Record<string, string>): BookmarkOption {
  const v = args?.['--job-bookmark-option'] ?? args?.['job-bookmark-option'];
  return v === 'job-bookmark-enable' || v === 'job-bookmark-pause' || v === 'job-bookmark-disable' ? v : def.bookmark;
}
