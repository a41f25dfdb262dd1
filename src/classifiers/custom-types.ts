/**
 * Custom classifiers in the shape of AWS Glue's `Classifier` (CreateClassifier input): exactly one
 * member is set. The catalog stores this same shape.
 */
export type CustomClassifier =
  | { GrokClassifier: GrokClassifierSpec; XMLClassifier?: never; JsonClassifier?: never; CsvClassifier?: never }
  | { XMLClassifier: XMLClassifierSpec; GrokClassifier?: never; JsonClassifier?: never; CsvClassifier?: never }
  | { JsonClassifier: JsonClassifierSpec; GrokClassifier?: never; XMLClassifier?: never; CsvClassifier?: never }
  | { CsvClassifier: CsvClassifierSpec; GrokClassifier?: never; XMLClassifier?: never; JsonClassifier?: never };

export interface GrokClassifierSpec {
  Name: string;
  Classification: string;
  GrokPattern: string;
  /** Extra patterns, one `NAME regex` per line. */
  CustomPatterns?: string;
}

export interface XMLClassifierSpec {
  Name: string;
  Classification: string;
  RowTag: string;
}

export interface JsonClassifierSpec {
  Name: string;
  /** e.g. `$[*]`, `$.records[*]`, `$.data`. */
  JsonPath: string;
}

export type CsvHeaderOption = 'UNKNOWN' | 'PRESENT' | 'ABSENT';

export interface CsvClassifierSpec {
  Name: string;
  Delimiter?: string;
  QuoteSymbol?: string;
  ContainsHeader?: CsvHeaderOption;
  Header?: string[];
  DisableValueTrimming?: boolean;
  AllowSingleColumn?: boolean;
  CustomDatatypeConfigured?: boolean;
  /** Glue allows BINARY, BOOLEAN, DATE, DECIMAL, DOUBLE, FLOAT, INT, LONG, SHORT, STRING, TIMESTAMP. */
  CustomDatatypes?: string[];
}

/** The name of a custom classifier, whichever kind it is. */
export function customClassifierName(c: CustomClassifier): string {
  return (c.GrokClassifier ?? c.XMLClassifier ?? c.JsonClassifier ?? c.CsvClassifier)!.Name;
}
