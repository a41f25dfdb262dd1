import { classifyCsv, csvOptionsFromSpec } from './csv';
import { customClassifierName, type CustomClassifier } from './custom-types';
import { classifyJson } from './json';
import { classifyGrok } from './log';
import type { Classifier } from './types';
import { classifyXml } from './xml';

/** Turn a Glue-shaped custom classifier into a runnable one. */
export function customClassifier(spec: CustomClassifier): Classifier {
  const name = customClassifierName(spec);
  if (spec.GrokClassifier) {
    const g = spec.GrokClassifier;
    return { name, classify: (s) => classifyGrok(s, { classification: g.Classification, pattern: g.GrokPattern, customPatterns: g.CustomPatterns, minMatch: 0.5 }) };
  }
  if (spec.XMLClassifier) {
    const x = spec.XMLClassifier;
    return { name, classify: (s) => classifyXml(s, { rowTag: x.RowTag, classification: x.Classification }) };
  }
  if (spec.JsonClassifier) {
    const j = spec.JsonClassifier;
    return { name, classify: (s) => classifyJson(s, { jsonPath: j.JsonPath }) };
  }
  if (spec.CsvClassifier) {
    const opts = csvOptionsFromSpec(spec.CsvClassifier);
    return { name, classify: (s, rules) => classifyCsv(s, { ...opts, keepDecimals: rules?.keepDecimals }) };
  }
  throw new Error('a custom classifier needs exactly one of GrokClassifier, XMLClassifier, JsonClassifier, CsvClassifier');
}
