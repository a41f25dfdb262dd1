/**
 * DynamicFrames on DuckDB: transform steps as JSON data, compiled to SQL, run and profiled in the engine.
 * What the jobs module builds on; see docs/frames.md.
 */
export { STEP_KINDS, STEP_HELP, type Step, type StepKind, type StepParams, type Thresholds, type Predicate, type Condition, type Mapping, type ChoiceAction } from './steps';
export { compileStep, validateStep, factsSql, readFacts, castExpr, StepError, type CompiledStep, type CompileContext, type FrameRef, type StepMessage, type ExtraOutput } from './compile';
export { compilePipeline, type CompiledPipeline } from './pipeline';
export { runFrame, runFrameStrict, dropNamespace, relationSchema, ThresholdError, type FrameRunRequest, type FrameRunResult, type StepOutput, type FrameFailure, type FrameEngine } from './run';
export { profileColumn, profileStatsSql, profileTopSql, profileHistogramSql, readHistogram, profileKind, type ColumnProfile, type HistogramBin } from './profile';
export { frameDuckType, parseDuckDBType, schemaFromDuckDB, choiceTag } from './duck-types';
export { parsePath, renderPath } from './paths';
export { openRecords, recordFormat, type OpenedRecords, type OpenRecordsOptions } from './open-records';
export { readJsonInto, inferRecordsSchema } from './readers/json';
export { readAvroInto, glueSchemaOfAvro } from './readers/avro';
export { readXmlInto } from './readers/xml';
export { readParquetInto } from './readers/parquet';
export { readCsvSql, csvViewSql, type CsvOptions } from './readers/csv';
