import type { Classifier, Crawler } from '../../catalog';
import { catalogName, objectName } from '../../catalog';
import { keepsDecimals } from '../../crawler/classify-file';
import { Exclusions } from '../../crawler/globs';
import { errorMessage } from '../../util/errors';

/** The crawler settings form, as plain values. */
export interface CrawlerForm {
  name: string;
  database: string;
  tablePrefix: string;
  exclusions: string;
  updateBehavior: 'UPDATE_IN_DATABASE' | 'LOG';
  deleteBehavior: 'DEPRECATE_IN_DATABASE' | 'DELETE_FROM_DATABASE' | 'LOG';
  newFoldersOnly: boolean;
  combineCompatibleSchemas: boolean;
  tableThreshold: string;
  fullScan: boolean;
  /** Write Athena-safe column names (beak_length_mm for "Beak Length (mm)"), keeping the original in Parameters. */
  normalizeNames: boolean;
  /** The decimal rule (Crawler.Epoxy.keepDecimals): fixed-scale numbers as decimal(p,s) instead of double. */
  keepDecimals: boolean;
  classifiers: string[];
}

/** A blank form, named so it does not clash with existing crawlers. */
export function newCrawlerForm(existing: string[]): CrawlerForm {
  let n = existing.length + 1;
  while (existing.includes(`crawler_${n}`)) n++;
  return {
    name: `crawler_${n}`, database: 'default', tablePrefix: '', exclusions: '', updateBehavior: 'UPDATE_IN_DATABASE',
    deleteBehavior: 'DEPRECATE_IN_DATABASE', newFoldersOnly: false, combineCompatibleSchemas: false, tableThreshold: '', fullScan: false, normalizeNames: false, keepDecimals: false, classifiers: [],
  };
}

interface CrawlerConfiguration {
  Version?: number;
  Grouping?: { TableGroupingPolicy?: string };
  CrawlerOutput?: { Tables?: { TableThreshold?: number } };
}

/** Fill the form from a stored crawler. */
export function formFromCrawler(c: Crawler): CrawlerForm {
  let config: CrawlerConfiguration = {};
  try { config = c.Configuration ? JSON.parse(c.Configuration) : {}; } catch { config = {}; }
  return {
    name: c.Name,
    database: c.DatabaseName ?? '',
    tablePrefix: c.TablePrefix ?? '',
    exclusions: (c.Targets.EpoxyTargets?.[0]?.Exclusions ?? []).join('\n'),
    updateBehavior: c.SchemaChangePolicy?.UpdateBehavior ?? 'UPDATE_IN_DATABASE',
    deleteBehavior: c.SchemaChangePolicy?.DeleteBehavior ?? 'DEPRECATE_IN_DATABASE',
    newFoldersOnly: c.RecrawlPolicy?.RecrawlBehavior === 'CRAWL_NEW_FOLDERS_ONLY',
    combineCompatibleSchemas: config.Grouping?.TableGroupingPolicy === 'CombineCompatibleSchemas',
    tableThreshold: config.CrawlerOutput?.Tables?.TableThreshold?.toString() ?? '',
    fullScan: c.Epoxy?.['fullScan'] === true,
    normalizeNames: c.Epoxy?.['normalizeNames'] === true,
    keepDecimals: keepsDecimals(c),
    classifiers: [...(c.Classifiers ?? [])],
  };
}

/** Validate the form and build the Glue crawler; errors name the field. */
export function crawlerFromForm(f: CrawlerForm, previous?: Crawler): { crawler?: Crawler; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const attempt = <T>(field: string, fn: () => T): T | undefined => {
    try { return fn(); } catch (err) { errors[field] = errorMessage(err); return undefined; }
  };
  const name = attempt('name', () => objectName('crawler', f.name.trim()));
  const database = attempt('database', () => catalogName('database', f.database.trim()));
  const prefix = f.tablePrefix.trim();
  if (prefix && !/^[a-z0-9_]*$/.test(prefix)) errors['tablePrefix'] = 'A table prefix may only hold lowercase letters, digits and _';
  const exclusions = f.exclusions.split('\n').map((l) => l.trim()).filter(Boolean);
  attempt('exclusions', () => new Exclusions(exclusions));
  let threshold: number | undefined;
  if (f.tableThreshold.trim()) {
    threshold = Number(f.tableThreshold);
    if (!Number.isInteger(threshold) || threshold < 1) errors['tableThreshold'] = 'The table threshold is a whole number of tables, at least 1';
  }
  if (Object.keys(errors).length) return { errors };
  const configuration: CrawlerConfiguration = { Version: 1.0 };
  if (f.combineCompatibleSchemas) configuration.Grouping = { TableGroupingPolicy: 'CombineCompatibleSchemas' };
  if (threshold !== undefined) configuration.CrawlerOutput = { Tables: { TableThreshold: threshold } };
  return {
    errors,
    crawler: {
      ...(previous ?? {}),
      Name: name!,
      DatabaseName: database!,
      Targets: { EpoxyTargets: [{ Kind: 'dropped', Path: previous?.Targets.EpoxyTargets?.[0]?.Path ?? '', Exclusions: exclusions }] },
      TablePrefix: prefix || undefined,
      // A copy: the form's list may be a reactive proxy, which IndexedDB and postMessage refuse to clone.
      Classifiers: f.classifiers.length ? [...f.classifiers] : undefined,
      SchemaChangePolicy: { UpdateBehavior: f.updateBehavior, DeleteBehavior: f.deleteBehavior },
      RecrawlPolicy: { RecrawlBehavior: f.newFoldersOnly ? 'CRAWL_NEW_FOLDERS_ONLY' : 'CRAWL_EVERYTHING' },
      Configuration: JSON.stringify(configuration),
      Epoxy: { ...(previous?.Epoxy ?? {}), fullScan: f.fullScan, normalizeNames: f.normalizeNames, keepDecimals: f.keepDecimals },
    },
  };
}

/** A custom classifier form, one kind at a time. */
export interface ClassifierForm {
  kind: 'GrokClassifier' | 'XMLClassifier' | 'JsonClassifier' | 'CsvClassifier';
  name: string;
  classification: string;
  grokPattern: string;
  customPatterns: string;
  rowTag: string;
  jsonPath: string;
  delimiter: string;
  quoteSymbol: string;
  containsHeader: 'UNKNOWN' | 'PRESENT' | 'ABSENT';
  header: string;
}

export function newClassifierForm(): ClassifierForm {
  return { kind: 'GrokClassifier', name: '', classification: '', grokPattern: '', customPatterns: '', rowTag: '', jsonPath: '$[*]', delimiter: ',', quoteSymbol: '"', containsHeader: 'UNKNOWN', header: '' };
}

/** Validate and build a Glue-shaped custom classifier. */
export function classifierFromForm(f: ClassifierForm, order: number): { classifier?: Classifier; error?: string } {
  const name = f.name.trim();
  if (!name) return { error: 'A classifier needs a name' };
  switch (f.kind) {
    case 'GrokClassifier':
      if (!f.classification.trim() || !f.grokPattern.trim()) return { error: 'A grok classifier needs a classification and a grok pattern' };
      return { classifier: { GrokClassifier: { Name: name, Classification: f.classification.trim(), GrokPattern: f.grokPattern.trim(), CustomPatterns: f.customPatterns.trim() || undefined }, order } };
    case 'XMLClassifier':
      if (!f.classification.trim() || !f.rowTag.trim()) return { error: 'An XML classifier needs a classification and a row tag' };
      return { classifier: { XMLClassifier: { Name: name, Classification: f.classification.trim(), RowTag: f.rowTag.trim() }, order } };
    case 'JsonClassifier':
      if (!f.jsonPath.trim().startsWith('$')) return { error: 'A JSON path starts with $ (for example $[*] or $.records[*])' };
      return { classifier: { JsonClassifier: { Name: name, JsonPath: f.jsonPath.trim() }, order } };
    case 'CsvClassifier': {
      if (f.delimiter.length !== 1) return { error: 'The CSV delimiter is exactly one character' };
      const header = f.header.split(',').map((h) => h.trim()).filter(Boolean);
      return { classifier: { CsvClassifier: { Name: name, Delimiter: f.delimiter, QuoteSymbol: f.quoteSymbol || undefined, ContainsHeader: f.containsHeader, Header: header.length ? header : undefined }, order } };
    }
  }
}
