import type { Classifier, Crawler } from '../catalog';
import { classifySource, customClassifierName, fullScan, type ClassifierResult, type CustomClassifier } from '../classifiers';
import type { ByteSource } from '../sources/byte-source';
import type { ClassifiedFile } from './types';
import { errorMessage } from '../util/errors';

/** How files are classified during a crawl. */
export interface ClassifyOptions {
  customClassifiers: CustomClassifier[];
  /** Read whole files for exact types and record counts (Glue samples; this is Epoxy's option). */
  fullScan: boolean;
  /** The decimal rule: fixed-scale text numbers (`12.50`) become decimal(p,s) instead of Glue's double. */
  keepDecimals?: boolean;
}

/**
 * Classify one file into what the grouping step needs. Never throws for bad content: an unrecognised or
 * unreadable file comes back with `error` set, so one corrupt file never stops a crawl.
 */
export async function classifyByteSource(source: ByteSource, options: ClassifyOptions): Promise<ClassifiedFile> {
  const base = { path: source.path, size: source.size, lastModified: source.lastModified, etag: source.etag };
  try {
    const input = { name: source.path, size: source.size, read: (o: number, n: number) => source.read(o, n) };
    const rules = { keepDecimals: options.keepDecimals === true };
    const result = options.fullScan ? await fullScan(input, options.customClassifiers, rules) : await classifySource(input, options.customClassifiers, rules);
    const warnings = result.warnings ?? [];
    if (result.classification === 'UNKNOWN') {
      return { ...base, classification: 'UNKNOWN', schema: [], properties: {}, error: `not recognised as a supported format${warnings.length ? ` (${warnings.join('; ')})` : ''}` };
    }
    if (result.schema.length === 0) {
      // Recognised by its magic bytes but unreadable (e.g. a corrupt Parquet footer): a table without columns helps no one.
      return { ...base, classification: result.classification, schema: [], properties: {}, error: `looks like ${result.classification} but its schema could not be read${warnings.length ? `: ${warnings.join('; ')}` : ''}` };
    }
    const propertiesOf = (r: Pick<ClassifierResult, 'properties' | 'columnFormats' | 'warnings'>, extra: string[] = []) => {
      const properties = { ...r.properties };
      if (r.columnFormats && Object.keys(r.columnFormats).length) properties['epoxy.columnFormats'] = JSON.stringify(r.columnFormats);
      const all = [...extra, ...(r.warnings ?? [])];
      if (all.length) properties['epoxy.warnings'] = all.join('; ');
      return properties;
    };
    return {
      ...base,
      classification: result.classification,
      schema: result.schema,
      properties: propertiesOf({ ...result, warnings }),
      recordCount: result.recordCount,
      recordCountEstimated: result.recordCountEstimated,
      ...(result.sheets ? { sheets: result.sheets.map((s) => ({ sheet: s.sheet, schema: s.schema, properties: propertiesOf(s, warnings), recordCount: s.recordCount })) } : {}),
    };
  } catch (err) {
    return { ...base, classification: 'UNKNOWN', schema: [], properties: {}, error: errorMessage(err) };
  }
}

/**
 * The crawler's decimal rule, `Crawler.Epoxy.keepDecimals` (Epoxy's setting; Glue has none): true types
 * fixed-scale text numbers (`12.50`) decimal(p,s); absent or false gives `double`, as Glue's crawler does.
 */
export function keepsDecimals(crawler: Crawler): boolean {
  return crawler.Epoxy?.['keepDecimals'] === true;
}

/**
 * The custom classifiers a crawler uses: the ones it names, in its order (Glue tries a crawler's listed
 * classifiers first and only those); a name that does not exist is an error, not silently skipped.
 */
export function crawlerClassifiers(crawler: Crawler, stored: Classifier[]): CustomClassifier[] {
  const byName = new Map(stored.map((c) => [customClassifierName(c), c]));
  return (crawler.Classifiers ?? []).map((name) => {
    const c = byName.get(name);
    if (!c) throw new Error(`Crawler ${crawler.Name} uses classifier ${name}, which does not exist`);
    return c;
  });
}

/** The entries a classified file stands for in grouping: itself, or one per sheet of a workbook. */
export function sheetEntries(file: ClassifiedFile): ClassifiedFile[] {
  if (!file.sheets?.length) return [file];
  const { sheets, ...rest } = file;
  return sheets.map((s) => ({ ...rest, sheet: s.sheet, schema: s.schema, properties: s.properties, recordCount: s.recordCount }));
}
