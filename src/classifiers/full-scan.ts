import { CsvAccumulator, csvOptionsFromSpec, csvResult, type CsvOptions } from './csv';
import { CsvTokenizer, type Dialect } from './csv-tokenizer';
import { classify } from './classify';
import type { CustomClassifier } from './custom-types';
import { addValue, FLOAT, newShape, recordFields } from './infer-json';
import { parseJsonExact } from './json-exact';
import { findRecords, skipWs } from './json-scan';
import { classifySource, readSample, textChunks, type ByteSource } from './sample';
import type { TypeRules } from './infer';
import type { ClassifierResult } from './types';
import { errorMessage } from '../util/errors';

/** Largest unfinished record carried between chunks (an unclosed quote must not eat all memory). */
const MAX_CARRY = 64 * 1024 * 1024;
/** Formats without a streaming scanner are read whole up to this size. */
const WHOLE_FILE_LIMIT = 64 * 1024 * 1024;

/** Options of a full scan. */
export interface FullScanOptions extends TypeRules {
  /** Stored bytes read per step (default 4 MB). */
  chunkSize?: number;
}

/**
 * Classify from a sample, then read the whole file for exact types and record counts: CSV and
 * JSON stream chunk by chunk (memory bounded by one chunk plus one record); Parquet, Avro and ORC
 * are already exact from their metadata; XML and logs are read whole up to 64 MB.
 */
export async function fullScan(source: ByteSource, customClassifiers: CustomClassifier[] = [], options: FullScanOptions = {}): Promise<ClassifierResult> {
  const rules: TypeRules = { keepDecimals: options.keepDecimals };
  const sampled = await classifySource(source, customClassifiers, rules);
  const chunkSize = options.chunkSize ?? 4 * 1024 * 1024;
  try {
    if (sampled.classification === 'csv') {
      // A custom CsvClassifier's trimming and CustomDatatypes apply to the full scan too.
      const spec = customClassifiers.find((c) => c.CsvClassifier?.Name === sampled.classifier)?.CsvClassifier;
      return await scanCsv(source, sampled, chunkSize, { ...(spec ? csvOptionsFromSpec(spec) : {}), ...rules });
    }
    if (sampled.classification === 'json' && (!sampled.properties.jsonPath || sampled.properties.jsonPath === '$[*]')) return await scanJson(source, sampled, chunkSize);
  } catch (err) {
    return { ...sampled, warnings: [...(sampled.warnings ?? []), `full scan stopped: ${errorMessage(err)}; types are from the sample`] };
  }
  if (['parquet', 'avro', 'orc', 'UNKNOWN'].includes(sampled.classification)) return sampled;
  if (sampled.recordCountEstimated !== true) return sampled;
  if (source.size > WHOLE_FILE_LIMIT) return { ...sampled, warnings: [...(sampled.warnings ?? []), 'file too large for a whole-file scan of this format; types are from the sample'] };
  return classify(await readSample(source, Number.MAX_SAFE_INTEGER), customClassifiers, rules);
}

function dialectOf(r: ClassifierResult): Dialect {
  const p = r.properties;
  const code = (x: string | undefined) => (x ? x.charCodeAt(0) : 0);
  return { delimiter: code(p.delimiter ?? ','), quote: p.quoteChar !== undefined ? code(p.quoteChar) : 34, escape: code(p.escapeChar) };
}

async function scanCsv(source: ByteSource, sampled: ClassifierResult, chunkSize: number, opts: CsvOptions): Promise<ClassifierResult> {
  const dialect = dialectOf(sampled);
  const header = sampled.properties['skip.header.line.count'] === '1';
  const width = sampled.schema.length;
  const tok = new CsvTokenizer('', dialect, false);
  const acc = new CsvAccumulator(opts.disableTrim);
  let first = true, records = 0, bytes = 0, unclosed = false;
  const drain = () => {
    for (let n = tok.next(); n >= 0; n = tok.next()) {
      if (n === 1 && tok.start[0] === tok.end[0] && tok.quoted[0] === 0) continue;
      if (tok.unclosedQuote) { unclosed = true; continue; }
      if (first) { first = false; if (header) { acc.setFirstRow(tok, n); continue; } }
      records++;
      acc.addRow(tok, n, width);
    }
  };
  for await (const chunk of textChunks(source, chunkSize)) {
    bytes += chunk.length;
    tok.feed(chunk, false);
    drain();
    if (tok.text.length - tok.pos > MAX_CARRY) throw new Error('a record is longer than 64 MB (unbalanced quote?)');
  }
  tok.feed('', true);
  drain();
  const names = sampled.schema.map((f) => f.name);
  const result = csvResult(acc, dialect, width, { ...opts, columnNames: names }, header, {
    certainty: sampled.certainty,
    counts: records ? { recordCount: records, averageRecordSize: Math.max(1, Math.round(bytes / records)) } : { recordCount: 0 },
    warnings: unclosed ? ['unbalanced quote: a quoted field runs to the end of the file'] : [],
    sawQuote: tok.sawQuote || 'quoteChar' in sampled.properties,
    sawEscape: tok.sawEscape || 'escapeChar' in sampled.properties,
  });
  result.properties = { ...sampled.properties, ...result.properties };
  result.classifier = sampled.classifier;
  if (sampled.properties.compressionType) result.properties.compressionType = sampled.properties.compressionType;
  return result;
}

async function scanJson(source: ByteSource, sampled: ClassifierResult, chunkSize: number): Promise<ClassifierResult> {
  const shape = newShape();
  let carry = '', records = 0, bytes = 0, inArray = sampled.properties.jsonPath === '$[*]', bad = 0;
  for await (const chunk of textChunks(source, chunkSize)) {
    bytes += chunk.length;
    let text = carry + chunk;
    if (inArray) {
      // Once past the opening bracket, array elements are scanned like JSON Lines (commas tolerated).
      const at = skipWs(text, 0);
      if (text.charCodeAt(at) === 91) text = text.slice(at + 1);
      inArray = false;
    }
    const found = findRecords(text, []);
    for (let r = 0; r < found.spans.length; r += 2) {
      try { addValue(shape, parseJsonExact(text.slice(found.spans[r]!, found.spans[r + 1]!), { fraction: FLOAT })); records++; } catch { bad++; }
    }
    carry = text.slice(found.consumed);
    if (carry.length > MAX_CARRY) throw new Error('a JSON record is longer than 64 MB');
  }
  const warnings = bad ? [`${bad} records are not valid JSON`] : [];
  return {
    ...sampled,
    schema: recordFields(shape),
    recordCount: records,
    recordCountEstimated: undefined,
    averageRecordSize: records ? Math.max(1, Math.round(bytes / records)) : undefined,
    ...(warnings.length || sampled.warnings ? { warnings: [...(sampled.warnings ?? []), ...warnings] } : {}),
  };
}
