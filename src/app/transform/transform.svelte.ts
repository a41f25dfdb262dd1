import { fixOf, resolveTable, UnreachableTableError, type UnreachableFix } from '../../query/resolve';
import { browserLister, grantFolderAccess } from '../shared/locations';
import type { Remote } from 'comlink';
import type { EngineWorkerApi } from '../../service/protocol';
import type { PlainValue } from '../../engine/values';
import type { FrameFailure, FrameRunResult, StepOutput } from '../../frames/run';
import type { ColumnProfile } from '../../frames/profile';
import type { Step, StepKind } from '../../frames/steps';
import { sideOf, withSide } from '../../frames/transforms';
import type { StructField } from '../../schema/types';
import { schemaFromDuckDB } from '../../frames/duck-types';
import type { PageFetcher } from '../grid/row-cache';
import {
  bindSides, catalogSideValue, defaultParams, extraRef, fitOtherColumns, newStepId, parseCatalogSide, parseExtraRef, parseParams,
  PREVIEW_SAMPLE_ROWS, type SideChoice, inputLabel, type InputChoice,
} from './helpers';
import { errorMessage } from '../../util/errors';
import type { CatalogSession } from '../shared/catalog-session';

let counter = 0;

/** The relation a catalog table opened in Transform is held in. */
const catalogRelation = (database: string, table: string) => `catalog_${database}_${table}`.replace(/[^A-Za-z0-9_]/g, '_');
const models = new WeakMap<object, TransformModel>();

/** What the Transform model reads of the workspace: its engine and the tables opened there. */
type Host = { engine: Remote<EngineWorkerApi>; tables: { table: string; columns?: { name: string; type: string }[] }[] };

/** The Transform model of a workspace, kept across route changes so steps survive leaving the view. */
export function transformModelFor(ws: Host, session: CatalogSession): TransformModel {
  let model = models.get(ws);
  if (!model) {
    model = new TransformModel(() => ws, session);
    models.set(ws, model);
  }
  return model;
}

/** State of the Transform screen: an input, its steps, and the preview/profile after the selected step. */
export class TransformModel {
  input = $state<string | null>(null);
  steps = $state.raw<Step[]>([]);
  /** 'input' or a step id: whose output the preview shows. */
  selected = $state<string>('input');
  result = $state.raw<FrameRunResult | null>(null);
  running = $state(false);
  runError = $state<string | null>(null);
  /** Params text per step id while being edited, and its parse error. */
  drafts = $state<Record<string, { text: string; error: string | null }>>({});
  /** Preview on a sample (the default) or on the full data. */
  fullData = $state(false);
  profiles = $state.raw<Record<string, ColumnProfile>>({});
  profileColumn = $state<string | null>(null);
  previewRows = $state.raw<PlainValue[][]>([]);
  errorRows = $state.raw<PlainValue[][]>([]);
  /** Extra inputs opened here (JSON files, catalog tables), besides the workspace tables, with their schemas. */
  extraInputs = $state.raw<InputChoice[]>([]);
  openProblem = $state<string | null>(null);
  /** The element holding one record when an XML file is opened (Glue's rowTag). */
  xmlRowTag = $state('row');

  private readonly namespace = `__epoxy_tf${++counter}`;
  private generation = 0;
  /** Bumped per output load, so a slow load for a step no longer selected never lands. */
  private loadToken = 0;

  /** `host` gives the engine and the workspace's opened tables (read lazily: they change). */
  constructor(private readonly host: () => Host, private readonly session: CatalogSession) {}

  private get engine(): Remote<EngineWorkerApi> {
    return this.host().engine;
  }

  /** Tables a Join or Union step can read. */
  otherTables(): string[] {
    return [...this.host().tables.map((t) => t.table), ...this.extraInputs.map((x) => x.table)];
  }

  /**
   * What the Join or Union step `stepId` can read besides its input: the Workspace's tables, tables opened
   * here, the extra outputs of the steps before it (Relationalize's child tables such as root_items), and the
   * catalog's tables (opened as a job reads them when picked).
   */
  sideChoices(stepId: string): SideChoice[] {
    const out: SideChoice[] = [];
    for (const t of this.host().tables) if (t.table !== this.input) out.push({ value: t.table, label: t.table, group: 'Workspace tables' });
    for (const x of this.extraInputs) if (x.table !== this.input) out.push({ value: x.table, label: inputLabel(x), group: 'Opened in Transform' });
    const at = this.steps.findIndex((s) => s.id === stepId);
    for (const step of this.steps.slice(0, Math.max(0, at))) {
      for (const x of this.result?.steps.find((o) => o.stepId === step.id)?.extras ?? []) {
        out.push({ value: extraRef(step.id, x.name), label: `${x.name} (from ${step.id}, ${x.rowCount.toLocaleString('en-US')} rows)`, group: 'Outputs of earlier steps' });
      }
    }
    const opened = new Set(this.extraInputs.map((x) => x.table));
    for (const c of this.catalogTables) if (!opened.has(catalogRelation(c.database, c.table))) out.push({ value: catalogSideValue(c.database, c.table), label: `${c.database}.${c.table}`, group: 'Catalog tables' });
    return out;
  }

  /** The schema of a Join/Union side as the preview knows it, or null (not opened, not run yet). */
  sideSchema(value: string): StructField[] | null {
    const ref = parseExtraRef(value);
    if (ref) return this.result?.steps.find((o) => o.stepId === ref.stepId)?.extras.find((x) => x.name === ref.name)?.schema ?? null;
    const opened = this.extraInputs.find((x) => x.table === value);
    if (opened?.schema) return opened.schema;
    const ws = this.host().tables.find((t) => t.table === value);
    return ws?.columns ? schemaFromDuckDB(ws.columns) : null;
  }

  /**
   * Point the Join or Union step at another side: a catalog table is opened first (as a job reads it); a Join's
   * right keys follow the new side's columns (the same name as the left key when it has one).
   */
  async setSide(stepId: string, value: string): Promise<void> {
    const step = this.steps.find((s) => s.id === stepId);
    if (!step || (step.kind !== 'Join' && step.kind !== 'Union')) return;
    let side = value;
    const catalog = parseCatalogSide(value);
    if (catalog) {
      const opened = await this.loadCatalogRelation(catalog.database, catalog.table);
      if (!opened) return;
      side = opened;
    }
    const current = this.steps.find((s) => s.id === stepId);
    if (!current) return;
    if (!sideOf(current)) return;
    const schema = this.sideSchema(side);
    const next = withSide(current, side);
    this.setParams(stepId, (schema ? fitOtherColumns(next, schema) : next).params);
  }

  /** An extra output of the selected step shown instead of its main frame (SplitRows' rest, child tables). */
  extra = $state<string | null>(null);

  /** The output of the selected step, without switching to an extra output. */
  get stepOutput(): StepOutput | null {
    if (!this.result) return null;
    if (this.selected === 'input') return this.result.input;
    return this.result.steps.find((s) => s.stepId === this.selected) ?? null;
  }

  /** The output the preview shows. */
  get output(): StepOutput | null {
    const main = this.stepOutput;
    const x = main?.extras.find((e) => e.name === this.extra);
    if (!main || !x) return main;
    return { stepId: main.stepId, relation: x.relation, schema: x.schema, rowCount: x.rowCount, errorRelation: null, errorCount: 0, extras: [], messages: [], elapsedMs: 0 };
  }

  /** Preview an extra output of the selected step (null: its main frame). */
  showExtra(name: string | null): void {
    this.extra = name;
    void this.loadOutput();
  }

  get failure(): FrameFailure | null {
    return this.result?.failure ?? null;
  }

  /** The schema a new step would read: the output of the selected step (or the last one that ran). */
  get schemaForNewStep(): StructField[] {
    return (this.output ?? this.result?.steps.at(-1) ?? this.result?.input)?.schema ?? [];
  }

  setInput(table: string | null): void {
    this.input = table;
    this.selected = 'input';
    void this.rerun();
  }

  setFullData(full: boolean): void {
    this.fullData = full;
    void this.rerun();
  }

  /** Add a step after the selected one, with params filled from the schema it reads. */
  addStep(kind: StepKind): void {
    const id = newStepId(this.steps, kind);
    let step = { id, kind, params: defaultParams(kind, this.schemaForNewStep, this.otherTables().filter((t) => t !== this.input)) } as Step;
    const side = sideOf(step);
    const right = side ? this.sideSchema(side.value) : null;
    if (right) step = fitOtherColumns(step, right);
    const at = this.selected === 'input' ? 0 : this.steps.findIndex((s) => s.id === this.selected) + 1;
    this.steps = [...this.steps.slice(0, at), step, ...this.steps.slice(at)];
    this.drafts[id] = { text: JSON.stringify(step.params, null, 2), error: null };
    this.selected = id;
    void this.rerun();
  }

  removeStep(id: string): void {
    const i = this.steps.findIndex((s) => s.id === id);
    this.steps = this.steps.filter((s) => s.id !== id);
    delete this.drafts[id];
    if (this.selected === id) this.selected = this.steps[i - 1]?.id ?? 'input';
    void this.rerun();
  }

  moveStep(id: string, delta: -1 | 1): void {
    const i = this.steps.findIndex((s) => s.id === id);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= this.steps.length) return;
    const next = [...this.steps];
    [next[i], next[j]] = [next[j]!, next[i]!];
    this.steps = next;
    void this.rerun();
  }

  select(id: string): void {
    this.selected = id;
    this.extra = null;
    void this.loadOutput();
  }

  draftFor(step: Step): { text: string; error: string | null } {
    return this.drafts[step.id] ?? { text: JSON.stringify(step.params, null, 2), error: null };
  }

  /** Apply edited params text to a step; invalid JSON stays in the editor with its error. */
  editParams(id: string, text: string): void {
    const parsed = parseParams(text);
    this.drafts[id] = { text, error: parsed.ok ? null : parsed.error };
    if (!parsed.ok) return;
    this.steps = this.steps.map((s) => (s.id === id ? ({ ...s, params: parsed.params } as Step) : s));
    void this.rerun();
  }

  /** Replace a step's params (from a form); the JSON editor follows. */
  setParams(id: string, params: Step['params']): void {
    this.drafts[id] = { text: JSON.stringify(params, null, 2), error: null };
    this.steps = this.steps.map((s) => (s.id === id ? ({ ...s, params } as Step) : s));
    void this.rerun();
  }

  /** The schema a step reads: the output of the step before it (as of the last run). */
  inputSchemaOf(id: string): StructField[] {
    const i = this.steps.findIndex((s) => s.id === id);
    if (!this.result) return [];
    return (i <= 0 ? this.result.input : this.result.steps.find((s) => s.stepId === this.steps[i - 1]?.id))?.schema ?? [];
  }

  /** Run every step again (on the preview sample), then load the selected output and its profile. */
  async rerun(): Promise<void> {
    const generation = ++this.generation;
    if (!this.input) {
      this.result = null;
      return;
    }
    this.running = true;
    try {
      // A side naming an earlier step's extra output (relationalize_1:root_items) reads that step's table of this run.
      const steps = bindSides($state.snapshot(this.steps) as Step[], this.namespace);
      const result = await this.engine.runFrame({
        input: this.input,
        steps,
        sampleRows: this.fullData ? null : PREVIEW_SAMPLE_ROWS,
        namespace: this.namespace,
        // Only the tables steps read: describing a lazy CSV view re-reads its file.
        relations: steps.flatMap((s) => sideOf(s)?.value ?? []).filter((r) => r && !r.startsWith(`${this.namespace}_`)),
      });
      if (generation !== this.generation) return;
      this.result = result;
      this.runError = null;
      await this.loadOutput();
    } catch (err) {
      if (generation === this.generation) this.runError = errorMessage(err);
    } finally {
      if (generation === this.generation) this.running = false;
    }
  }

  /** First rows, error records and the column profiles of the selected output. */
  private async loadOutput(): Promise<void> {
    const generation = this.generation;
    const token = ++this.loadToken;
    const current = () => generation === this.generation && token === this.loadToken;
    const out = this.output;
    this.profiles = {};
    if (!out) {
      this.previewRows = [];
      this.errorRows = [];
      return;
    }
    const [page, errors] = await Promise.all([
      this.engine.page(out.relation, 0, 200),
      out.errorRelation && out.errorCount ? this.engine.page(out.errorRelation, 0, 200) : Promise.resolve(null),
    ]);
    if (!current()) return;
    this.previewRows = page.rows;
    this.errorRows = errors?.rows ?? [];
    if (!out.schema.some((f) => f.name === this.profileColumn)) this.profileColumn = out.schema[0]?.name ?? null;
    // Profiles fill in column by column, the chosen column first, so the panel is useful at once.
    const order = [...out.schema].sort((a, b) => Number(b.name === this.profileColumn) - Number(a.name === this.profileColumn));
    for (const field of order) {
      const profile = await this.engine.profileColumn(out.relation, field);
      if (!current()) return;
      this.profiles = { ...this.profiles, [field.name]: profile };
    }
  }

  /** A page fetcher for the preview grid of the selected output. */
  fetcher(relation: string): PageFetcher {
    return async (offset, limit) => (await this.engine.page(relation, offset, limit)).rows;
  }

  /** Open JSON/NDJSON, Avro, Parquet, XML or log files as inputs (streamed into DuckDB as Arrow batches). */
  async openRecordFiles(files: File[]): Promise<void> {
    this.openProblem = null;
    for (const file of files) {
      try {
        const r = await this.engine.openRecords(file.name, { kind: 'file', file }, { rowTag: this.xmlRowTag });
        const note = `${r.rows.toLocaleString('en-US')} records${r.errorCount ? `, ${r.errorCount} values did not fit` : ''}`;
        this.extraInputs = [...this.extraInputs, { table: r.table, note, schema: r.schema }];
        this.setInput(r.table);
      } catch (err) {
        this.openProblem = `${file.name}: ${errorMessage(err)}`;
      }
    }
  }

  /** The catalog table behind each relation opened from the catalog: a job made from the steps reads those tables. */
  catalogOrigins = $state.raw<Record<string, { database: string; table: string }>>({});

  /** Catalog tables a user can open as the input (loaded on demand). */
  catalogTables = $state.raw<{ database: string; table: string }[]>([]);

  async loadCatalogTables(): Promise<void> {
    const catalog = await this.session.open();
    const out: { database: string; table: string }[] = [];
    for (const db of await catalog.getDatabases()) for (const t of await catalog.getTables(db.Name)) out.push({ database: db.Name, table: t.Name });
    this.catalogTables = out;
  }

  /**
   * Open a catalog table (e.g. one a crawler wrote) as an input: its files are found from its location and
   * loaded with the job readers, Hive partition folders becoming columns — the same way a job reads it.
   */
  async openCatalogTable(database: string, table: string): Promise<void> {
    const relation = await this.loadCatalogRelation(database, table);
    if (relation) this.setInput(relation);
  }

  /** Load a catalog table as a job reads it into `catalog_<db>_<table>` (listed with the inputs); null on failure, said in openProblem. */
  private async loadCatalogRelation(database: string, table: string): Promise<string | null> {
    this.openProblem = null;
    this.openFix = null;
    try {
      const catalog = await this.session.open();
      const engine = this.host().engine;
      const relation = catalogRelation(database, table);
      // Opened from a click: a kept folder may ask for its permission again right here.
      const lister = browserLister(catalog, { askFolderPermission: (_name, location) => grantFolderAccess(catalog, location) });
      const { rows } = await resolveTable(engine, catalog, database, table, lister, { relation });
      this.catalogOrigins = { ...this.catalogOrigins, [relation]: { database, table } };
      const described = await engine.query(`DESCRIBE "${relation}"`);
      const schema = schemaFromDuckDB(described.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) })));
      this.extraInputs = [...this.extraInputs.filter((x) => x.table !== relation), { table: relation, label: `${database}.${table}`, note: `${rows.toLocaleString('en-US')} rows`, schema }];
      return relation;
    } catch (err) {
      this.openProblem = `${database}.${table}: ${errorMessage(err)}`;
      if (err instanceof UnreachableTableError) this.openFix = { ...fixOf(err), database, table };
      return null;
    }
  }

  /** The one-click fix of the catalog table that could not be opened (with the table to open once fixed). */
  openFix = $state.raw<(UnreachableFix & { database: string; table: string }) | null>(null);

  /** Grant the kept folder again (from the click) and open the table. */
  async grantAndOpen(): Promise<void> {
    const fix = this.openFix;
    if (!fix || fix.kind !== 'grant-folder') return;
    if (!(await grantFolderAccess(await this.session.open(), fix.location))) { this.openProblem = `${fix.database}.${fix.table}: the folder was not granted; pick it again in the Crawlers view`; return; }
    await this.openCatalogTable(fix.database, fix.table);
  }

  /** The steps as JSON, what a job stores. */
  get stepsJson(): string {
    return JSON.stringify(this.steps, null, 2);
  }
}
