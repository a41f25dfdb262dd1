import { classifyArrow } from './arrow';
import { classifyAvro } from './avro';
import { detectCodec } from './compression';
import { classifyCsv } from './csv';
import { customClassifier } from './custom';
import { customClassifierName, type CustomClassifier } from './custom-types';
import { classifyJson } from './json';
import type { TypeRules } from './infer';
import { classifyLog, classifyTextLog, looksLikeLog } from './log';
import { classifyOrc } from './orc';
import { classifyParquet } from './parquet';
import { decodeText, detectBom, looksBinary, startsWith } from './text';
import { unknownResult, type Classifier, type ClassifierResult, type Sample } from './types';
import { classifyXlsx } from './xlsx';
import { classifyXml } from './xml';
import { errorMessage } from '../util/errors';

/** Built-in classifiers in Glue's order (BSON and Ion are not implemented), plus Arrow IPC (not in Glue), then Epoxy's text-log fallback. */
export const BUILTIN_CLASSIFIERS: Classifier[] = [
  { name: 'avro', classify: classifyAvro },
  { name: 'orc', classify: classifyOrc },
  { name: 'parquet', classify: classifyParquet },
  { name: 'arrow', classify: classifyArrow },
  { name: 'json', classify: (s) => classifyJson(s) },
  { name: 'xml', classify: (s) => classifyXml(s) },
  { name: 'log', classify: classifyLog },
  // A log is never split as CSV on the comma of `17:41:44,747` (issue 17); a custom CsvClassifier still reads it as told.
  { name: 'csv', classify: (s, rules) => (looksLikeLog(s) ? null : classifyCsv(s, { keepDecimals: rules?.keepDecimals })) },
  // Last: text a log format or CSV did not claim becomes a `message` table when it is a log (low certainty).
  { name: 'text', classify: classifyTextLog },
];

/**
 * Classify a sample like a Glue crawler: custom classifiers first (in the given order), then the
 * built-ins. The first result with certainty 1.0 wins, else the highest; none above 0 gives
 * UNKNOWN. `rules` are the crawler's type-inference settings (the decimal rule). Never throws: a classifier that fails adds a warning and the next one is tried.
 */
export async function classify(sample: Sample, customClassifiers: CustomClassifier[] = [], rules: TypeRules = {}): Promise<ClassifierResult> {
  const warnings = [...(sample.warnings ?? [])];
  if (sample.bytes.length === 0) return unknownResult([...warnings, sample.totalSize === 0 ? 'empty file' : 'no bytes could be read']);
  const codec = detectCodec(sample.bytes);
  if (codec === 'zip') {
    // An Excel workbook is a zip; any other zip keeps the "not supported" answer.
    const workbook = await classifyXlsx(sample, rules).catch(() => null);
    if (workbook) return { ...workbook, classifier: 'xlsx', ...(warnings.length || workbook.warnings ? { warnings: [...warnings, ...(workbook.warnings ?? [])] } : {}) };
  }
  if (codec && codec !== 'gzip') return unknownResult([...warnings, `${codec} compression is not supported; decompress the file or use gzip`]);
  if (codec === 'gzip') {
    // After readSample removed one layer, more gzip means the file was compressed twice.
    return unknownResult([...warnings, sample.compression === 'gzip' ? 'gzip inside gzip (compressed twice) is not supported; decompress it once' : 'the sample is still gzip-compressed: read it with readSample']);
  }
  const candidates: Classifier[] = [];
  for (const spec of customClassifiers) {
    try {
      candidates.push(customClassifier(spec));
    } catch (err) {
      warnings.push(`custom classifier ${safeName(spec)}: ${(err as Error).message}`);
    }
  }
  candidates.push(...BUILTIN_CLASSIFIERS);
  let best: ClassifierResult | null = null;
  let bestName = '';
  for (const c of candidates) {
    let r: ClassifierResult | null;
    try {
      r = await c.classify(sample, rules);
    } catch (err) {
      warnings.push(`classifier ${c.name} failed: ${errorMessage(err)}`);
      continue;
    }
    if (!r || !(r.certainty > 0)) continue;
    if (!best || r.certainty > best.certainty) { best = r; bestName = c.name; }
    if (r.certainty >= 1) break;
  }
  if (!best) return unknownResult([...warnings, unrecognised(sample)]);
  const result: ClassifierResult = { ...best, properties: { ...best.properties }, classifier: bestName };
  if (sample.compression) result.properties.compressionType = sample.compression;
  const all = [...warnings, ...(best.warnings ?? [])];
  if (all.length) result.warnings = all;
  return result;
}

/** Why nothing matched, in terms of the file: so a user knows whether it is binary junk or text of the wrong shape. */
function unrecognised(sample: Sample): string {
  const { bomLength } = detectBom(sample.bytes);
  if (startsWith(sample.bytes, [0xd0, 0xcf, 0x11, 0xe0])) return 'a legacy .xls workbook or another OLE2 document (or an encrypted .xlsx): save it as .xlsx or CSV';
  if (bomLength === 0 && looksBinary(sample.bytes)) return 'binary content (NUL or control bytes) that is not Avro, ORC or Parquet';
  if (!/\S/.test(decodeText(sample.bytes).text)) return 'only blank text';
  return 'text that is not JSON, XML, a known log format, or CSV with at least 2 columns and 2 rows';
}

function safeName(spec: CustomClassifier): string {
  try { return customClassifierName(spec); } catch { return '(unnamed)'; }
}
