import { catalogKey } from '../catalog/names';
import { mergeTypes, renderType, type StructField } from '../schema/types';

/**
 * How alike two schemas are, 0..1: the share of column names (of both) present in both with types
 * that merge without a choice. Glue groups folders into one table when schemas are "more than 70% similar";
 * it does not publish the measure, so this is ours, documented here.
 */
export function schemaSimilarity(a: StructField[], b: StructField[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const bTypes = new Map(b.map((f) => [catalogKey(f.name), f.type]));
  let shared = 0;
  for (const f of a) {
    const other = bTypes.get(catalogKey(f.name));
    if (other && mergeTypes(f.type, other).kind !== 'choice') shared++;
  }
  const union = new Set([...a, ...b].map((f) => catalogKey(f.name))).size;
  return shared / union;
}

/** Merge file schemas column by column (order of first appearance), widening types as Glue does. */
export function mergeSchemas(schemas: StructField[][]): StructField[] {
  // Columns are one column when the catalog would file them under one name.
  const merged = new Map<string, StructField>();
  for (const schema of schemas) {
    for (const field of schema) {
      const key = catalogKey(field.name);
      const existing = merged.get(key);
      merged.set(key, existing ? { name: existing.name, type: mergeTypes(existing.type, field.type) } : { ...field });
    }
  }
  return [...merged.values()];
}

/** A key that is equal for identical schemas, to count distinct schemas. */
export function schemaKey(schema: StructField[]): string {
  return schema.map((f) => `${catalogKey(f.name)}:${renderType(f.type)}`).join(',');
}
