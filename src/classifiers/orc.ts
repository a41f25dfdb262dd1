import { startsWith } from './text';
import type { ClassifierResult, Sample } from './types';

const MAGIC = [0x4f, 0x52, 0x43]; // "ORC"

/** ORC: recognised by its magic; the schema (in the compressed footer) is not read yet. */
export function classifyOrc(sample: Sample): ClassifierResult | null {
  if (!startsWith(sample.bytes, MAGIC)) return null;
  return {
    classification: 'orc',
    certainty: 1,
    schema: [],
    properties: {},
    warnings: ['ORC schema not read: Epoxy recognises ORC files but does not parse their footer yet; define the columns by hand'],
  };
}
