/**
 * Glue API requests for the ETL objects of a catalog (create-crawler, create-job, create-workflow,
 * create-trigger), shaped as botocore's Glue service model takes them. What only Epoxy knows (a job's DAG,
 * a trigger's missed-fire policy, a crawler's dropped folder) has no field in Glue and is left out; what
 * Glue needs and the catalog cannot know (the IAM role, where scripts and data live on S3) comes from
 * `GlueExportOptions`, or else a value holding PLACEHOLDER that the export reports.
 */
import type { Crawler, Job, S3Target, Trigger } from './glue-types';

/** What the user supplies for Glue: the catalog has no IAM role or S3 locations of its own. */
export interface GlueExportOptions {
  /** IAM role (ARN or name) jobs and crawlers run as; an object's own Role wins. */
  role?: string;
  /** s3:// folder the job scripts are uploaded to: a job's ScriptLocation is `<it>/<job>.py`. */
  scriptLocation?: string;
  /** s3:// folder for Glue's --TempDir; default: `temporary/` in the script bucket (Glue Studio's layout). */
  tempDir?: string;
  /** s3:// folder workspace and download targets write under (the script's --output_base). */
  outputBase?: string;
  /** Reads a job's DAG (jobs/script-args.ts `glueJobFacts`); without it a job gets no script arguments. */
  jobFacts?: (definition: unknown) => GlueJobFacts | null;
}

/** Marks every value the user must replace before the request is sent to AWS. */
export const PLACEHOLDER = 'REPLACE_ME';
/** The Role of an object that has none when no role was supplied. */
export const ROLE_PLACEHOLDER = `arn:aws:iam::ACCOUNT_ID:role/${PLACEHOLDER}`;

/** Something the export changed, left out or filled with a placeholder, said once per file. */
export interface ExportNote { file: string; message: string }

/** Glue's Python shell and Spark scripts live on S3 under these names. */
export const scriptFileName = (jobName: string) => `${safeName(jobName)}.py`;

/** A name usable as one path segment (Glue allows "/" in job names). */
export function safeName(name: string): string {
  return name.replace(/[/\\\u0000-\u001f]/g, '_');
}

// The members of each request in botocore's Glue model (1.43): anything else is an unknown key AWS refuses.
const CREATE_JOB = ['Name', 'JobMode', 'JobRunQueuingEnabled', 'Description', 'LogUri', 'Role', 'ExecutionProperty', 'Command', 'DefaultArguments', 'NonOverridableArguments', 'Connections', 'MaxRetries', 'AllocatedCapacity', 'Timeout', 'MaxCapacity', 'SecurityConfiguration', 'Tags', 'NotificationProperty', 'GlueVersion', 'NumberOfWorkers', 'WorkerType', 'CodeGenConfigurationNodes', 'ExecutionClass', 'SourceControlDetails', 'MaintenanceWindow'];
const CREATE_CRAWLER = ['Name', 'Role', 'DatabaseName', 'Description', 'Targets', 'Schedule', 'Classifiers', 'TablePrefix', 'SchemaChangePolicy', 'RecrawlPolicy', 'LineageConfiguration', 'LakeFormationConfiguration', 'Configuration', 'CrawlerSecurityConfiguration', 'Tags'];
const CRAWLER_TARGETS = ['S3Targets', 'JdbcTargets', 'MongoDBTargets', 'DynamoDBTargets', 'CatalogTargets', 'DeltaTargets', 'IcebergTargets', 'HudiTargets'];
const S3_TARGET = ['Path', 'Exclusions', 'ConnectionName', 'SampleSize', 'EventQueueArn', 'DlqEventQueueArn'];
const CREATE_TRIGGER = ['Name', 'WorkflowName', 'Type', 'Schedule', 'Predicate', 'Actions', 'Description', 'StartOnCreation', 'Tags', 'EventBatchingCondition'];
const ACTION = ['JobName', 'Arguments', 'Timeout', 'SecurityConfiguration', 'NotificationProperty', 'CrawlerName'];

function pick<T extends object>(value: T, keys: string[]): Record<string, unknown> {
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  return out;
}

const isS3 = (path: string | undefined): path is string => !!path && /^s3:\/\/[^/]+/.test(path);
const trimSlash = (path: string) => path.replace(/\/+$/, '');

/** The s3:// location an S3 HTTPS URL (presigned or not) names, or null for any other URL or path. */
export function s3LocationOf(path: string): string | null {
  if (isS3(path)) return path;
  let url: URL;
  try { url = new URL(path); } catch { return null; }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const keyParts = url.pathname.split('/').slice(1).map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  const virtual = /^(.+)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.exec(url.hostname);
  if (virtual) return `s3://${virtual[1]}/${keyParts.join('/')}`;
  if (/^s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.test(url.hostname) && keyParts[0]) return `s3://${keyParts.join('/')}`;
  return null;
}

/** The last segment of a local path or URL, to name a placeholder after what the tab read. */
function localName(path: string): string {
  const plain = path.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[?#].*$/, '');
  const parts = trimSlash(plain).split(/[/\\]/).filter(Boolean);
  const last = parts.at(-1) ?? '';
  try { return decodeURIComponent(last); } catch { return last; }
}

const placeholderPath = (what: string) => `s3://${PLACEHOLDER}/${what.replace(/^\/+/, '')}`;

/**
 * A schedule in Glue's syntax: cron() is Glue's own (Epoxy parses the same dialect); Glue has no rate(), so
 * a rate becomes the cron that fires at the same times, or the nearest one with a note when none does.
 */
export function glueSchedule(expression: string): { schedule: string; note?: string } {
  const text = expression.trim();
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/i.exec(text);
  if (!rate) return { schedule: text };
  const n = Number(rate[1]);
  const unit = rate[2]!.toLowerCase().replace(/s$/, '');
  // Epoxy fires a rate at multiples of its period since the Unix epoch (UTC), so 60/n-minute and
  // 24/n-hour periods land on the same minutes and hours as a cron step.
  if (unit === 'minute' && n < 60 && 60 % n === 0) return { schedule: n === 1 ? 'cron(* * * * ? *)' : `cron(0/${n} * * * ? *)` };
  if (unit === 'minute' && n % 60 === 0) return glueSchedule(`rate(${n / 60} ${n === 60 ? 'hour' : 'hours'})`);
  if (unit === 'hour' && n < 24 && 24 % n === 0) return { schedule: n === 1 ? 'cron(0 * * * ? *)' : `cron(0 0/${n} * * ? *)` };
  if (unit === 'hour' && n % 24 === 0) return glueSchedule(`rate(${n / 24} ${n === 24 ? 'day' : 'days'})`);
  if (unit === 'day' && n === 1) return { schedule: 'cron(0 0 * * ? *)' };
  const cron = unit === 'minute' ? `cron(0/${n} * * * ? *)` : unit === 'hour' ? `cron(0 0/${n} * * ? *)` : `cron(0 0 1/${n} * ? *)`;
  return { schedule: cron, note: `${text} has no exact cron form (Glue has no rate()): exported as ${cron}, which restarts its count every ${unit === 'minute' ? 'hour' : unit === 'hour' ? 'day' : 'month'}` };
}

/** One argument a job's Glue script reads: `--<name>` on the command line. */
export type ScriptArgument =
  /** The S3 path a file or open-table source reads (local in the tab; on Glue it must be on S3). */
  | { name: string; kind: 'input'; nodeId: string; source: { type: 'file'; path: string; format?: string } | { type: 'table'; name: string } }
  /** The S3 folder workspace and download targets write under. */
  | { name: 'output_base'; kind: 'output_base' }
  /** A job parameter with its default. */
  | { name: string; kind: 'parameter'; default: string };

/**
 * What the create-job request needs of an Epoxy job's DAG (`Job.Epoxy.definition`): jobs/script-args.ts
 * `glueJobFacts` reads it (catalog/ holds the definition as data and never reads it).
 */
export interface GlueJobFacts { bookmark: string; arguments: ScriptArgument[]; registersTables: boolean }

/** Where the export puts a job's script (`<scriptLocation>/<job>.py`), or a placeholder location. */
export function scriptLocationOf(jobName: string, options: GlueExportOptions): string {
  return `${trimSlash(options.scriptLocation ?? placeholderPath('scripts'))}/${scriptFileName(jobName)}`;
}

function tempDirOf(options: GlueExportOptions): string {
  if (options.tempDir) return options.tempDir;
  const bucket = options.scriptLocation && /^s3:\/\/([^/]+)/.exec(options.scriptLocation)?.[1];
  return bucket ? `s3://${bucket}/temporary/` : placeholderPath('temporary/');
}

function argumentValue(a: ScriptArgument, options: GlueExportOptions): { value: string; placeholder?: string } {
  switch (a.kind) {
    case 'parameter': return { value: a.default };
    case 'output_base':
      return options.outputBase ? { value: trimSlash(options.outputBase) } : { value: placeholderPath('output'), placeholder: 'the S3 folder its targets write under (--output-base)' };
    case 'input': {
      if (a.source.type === 'table') return { value: placeholderPath(`${localName(a.source.name)}/`), placeholder: `the S3 folder of the table ${a.source.name}, which is open in the browser: upload it as Parquet` };
      const s3 = s3LocationOf(a.source.path);
      if (s3) return { value: s3 };
      return { value: placeholderPath(localName(a.source.path) || a.nodeId), placeholder: `the S3 path of ${a.source.path}, which the tab reads locally: upload it` };
    }
  }
}

/**
 * The create-job request of a catalog job. A job Epoxy defined runs its exported Glue 5.0 script
 * (Command glueetl at `scriptLocationOf`); its DefaultArguments hold every argument that script reads,
 * with what the stored job already sets kept. A job imported from Glue without a DAG keeps its own command.
 */
export function glueJobRequest(job: Job, options: GlueExportOptions, file: string, notes: ExportNote[]): Record<string, unknown> {
  const def = (options.jobFacts?.(job.Epoxy?.['definition']) ?? null);
  const request = pick(job, CREATE_JOB);
  request['Role'] = job.Role ?? options.role ?? ROLE_PLACEHOLDER;
  if (request['Role'] === ROLE_PLACEHOLDER) notes.push({ file, message: `Role is ${ROLE_PLACEHOLDER}: give the IAM role the job runs as (--role)` });
  const ownScript = isS3(job.Command?.ScriptLocation);
  if (def || !ownScript) {
    request['Command'] = { Name: 'glueetl', ScriptLocation: scriptLocationOf(job.Name, options), PythonVersion: '3' };
    if (!options.scriptLocation) notes.push({ file, message: `Command.ScriptLocation is a placeholder: give the S3 folder the scripts are uploaded to (--script-location)` });
  }
  if (def) request['GlueVersion'] = '5.0';
  else request['GlueVersion'] ??= '5.0';
  // Glue 2.0 and later size a Spark job by worker type and count; 2 G.1X workers is Glue's smallest.
  if ((request['Command'] as { Name?: string }).Name === 'glueetl' && request['WorkerType'] === undefined && request['MaxCapacity'] === undefined) {
    request['WorkerType'] = 'G.1X';
    request['NumberOfWorkers'] = 2;
  }
  const args: Record<string, string> = { ...(job.DefaultArguments ?? {}) };
  if (def) {
    args['--job-bookmark-option'] ??= def.bookmark;
    for (const a of def.arguments) {
      const key = `--${a.name}`;
      if (args[key] !== undefined) continue;
      const { value, placeholder } = argumentValue(a, options);
      args[key] = value;
      if (placeholder) notes.push({ file, message: `DefaultArguments["${key}"] is ${value}: set it to ${placeholder}` });
    }
    // Glue Studio passes a TempDir to every job: a script may not read it, but Glue's own sinks stage there.
    if (args['--TempDir'] === undefined) {
      args['--TempDir'] = tempDirOf(options);
      if (args['--TempDir'].includes(PLACEHOLDER)) notes.push({ file, message: 'DefaultArguments["--TempDir"] is a placeholder: give --temp-dir or --script-location' });
    }
    // Targets that register a catalog table create it through Spark's catalog, which is Glue's only with this.
    if (def.registersTables) args['--enable-glue-datacatalog'] ??= 'true';
  }
  if (Object.keys(args).length) request['DefaultArguments'] = args;
  return request;
}

/** An Epoxy crawl target as an S3Target: its s3:// location, or a placeholder for a local folder. */
function s3TargetOf(t: { Kind: string; Path: string; Exclusions?: string[] }, file: string, notes: ExportNote[]): S3Target {
  const exclusions = t.Exclusions?.length ? { Exclusions: [...t.Exclusions] } : {};
  const s3 = s3LocationOf(t.Path);
  if (s3) return { Path: s3, ...exclusions };
  const name = localName(t.Path);
  const Path = placeholderPath(name && name !== 'files' ? `${name}/` : '');
  notes.push({ file, message: `Targets.S3Targets Path is ${Path}: the crawler read ${t.Path || 'files dropped in the tab'} locally; upload them to S3 and give that folder` });
  return { Path, ...exclusions };
}

/** The create-crawler request of a catalog crawler: S3Targets from its locations, Glue's cron, its policies. */
export function glueCrawlerRequest(crawler: Crawler, options: GlueExportOptions, file: string, notes: ExportNote[]): Record<string, unknown> {
  const request = pick(crawler, CREATE_CRAWLER);
  request['Role'] = crawler.Role ?? options.role ?? ROLE_PLACEHOLDER;
  if (request['Role'] === ROLE_PLACEHOLDER) notes.push({ file, message: `Role is ${ROLE_PLACEHOLDER}: give the IAM role the crawler runs as (--role)` });
  const targets = pick(crawler.Targets ?? {}, CRAWLER_TARGETS);
  const s3 = [...(crawler.Targets?.S3Targets ?? []).map((t) => pick(t, S3_TARGET) as unknown as S3Target), ...(crawler.Targets?.EpoxyTargets ?? []).map((t) => s3TargetOf(t, file, notes))];
  if (s3.length) targets['S3Targets'] = s3;
  if (!Object.keys(targets).length) targets['S3Targets'] = [s3TargetOf({ Kind: 'none', Path: '' }, file, notes)];
  request['Targets'] = targets;
  if (crawler.Schedule) {
    const { schedule, note } = glueSchedule(crawler.Schedule);
    request['Schedule'] = schedule;
    if (note) notes.push({ file, message: `Schedule: ${note}` });
  }
  if (crawler.RecrawlPolicy?.RecrawlBehavior === 'CRAWL_NEW_FOLDERS_ONLY') {
    // Glue refuses an incremental crawl whose schema change policy updates or deletes tables.
    const p = crawler.SchemaChangePolicy;
    if (p && (p.UpdateBehavior !== 'LOG' || p.DeleteBehavior !== 'LOG')) {
      notes.push({ file, message: `SchemaChangePolicy is LOG/LOG (was ${p.UpdateBehavior ?? 'UPDATE_IN_DATABASE'}/${p.DeleteBehavior ?? 'DEPRECATE_IN_DATABASE'}): Glue allows only LOG when crawling new folders only` });
    }
    request['SchemaChangePolicy'] = { UpdateBehavior: 'LOG', DeleteBehavior: 'LOG' };
  }
  return request;
}

/** Whether Epoxy runs the trigger (its on/off switch; Glue calls an enabled trigger ACTIVATED). */
const enabledTrigger = (t: Trigger) => t.Epoxy?.['enabled'] !== false;

/**
 * The create-trigger request of a catalog trigger. An enabled scheduled or conditional trigger starts on
 * creation (Glue creates triggers deactivated otherwise, and refuses StartOnCreation on on-demand ones).
 */
export function glueTriggerRequest(trigger: Trigger, file: string, notes: ExportNote[]): Record<string, unknown> {
  const request = pick(trigger, CREATE_TRIGGER);
  delete request['StartOnCreation'];
  if (trigger.Type === 'SCHEDULED' && trigger.Schedule) {
    const { schedule, note } = glueSchedule(trigger.Schedule);
    request['Schedule'] = schedule;
    if (note) notes.push({ file, message: `Schedule: ${note}` });
  } else delete request['Schedule'];
  if (trigger.Type === 'CONDITIONAL' && trigger.Predicate?.Conditions?.length) {
    request['Predicate'] = {
      Logical: trigger.Predicate.Logical ?? 'AND',
      Conditions: trigger.Predicate.Conditions.map((c) => (c.JobName
        ? { LogicalOperator: 'EQUALS', JobName: c.JobName, State: c.State ?? 'SUCCEEDED' }
        : { LogicalOperator: 'EQUALS', CrawlerName: c.CrawlerName ?? '', CrawlState: c.CrawlState ?? 'SUCCEEDED' })),
    };
  } else delete request['Predicate'];
  request['Actions'] = trigger.Actions.map((a) => pick(a, ACTION));
  if (enabledTrigger(trigger) && (trigger.Type === 'SCHEDULED' || trigger.Type === 'CONDITIONAL')) request['StartOnCreation'] = true;
  return request;
}

/** The create-workflow requests of every workflow a trigger names (Glue has no workflow without them). */
export function glueWorkflowRequests(triggers: Trigger[]): { Name: string }[] {
  return [...new Set(triggers.map((t) => t.WorkflowName).filter((n): n is string => !!n))].sort().map((Name) => ({ Name }));
}
