// Shapes of the AWS Glue API, field for field (PascalCase), so JSON moves between Epoxy and Glue unchanged.
// Times are ISO-8601 strings, as `aws glue ... --output json` prints them.

export type Parameters = Record<string, string>;

export interface DatabaseInput {
  Name: string;
  Description?: string;
  LocationUri?: string;
  Parameters?: Parameters;
}

export interface Database extends DatabaseInput {
  CreateTime?: string;
  CatalogId?: string;
}

export interface Column {
  Name: string;
  /** Hive type string, e.g. `struct<a:int,b:array<string>>`. */
  Type?: string;
  Comment?: string;
  Parameters?: Parameters;
}

export interface SerDeInfo {
  Name?: string;
  SerializationLibrary?: string;
  Parameters?: Parameters;
}

export interface Order { Column: string; SortOrder: number }

export interface StorageDescriptor {
  Columns?: Column[];
  Location?: string;
  AdditionalLocations?: string[];
  InputFormat?: string;
  OutputFormat?: string;
  Compressed?: boolean;
  NumberOfBuckets?: number;
  SerdeInfo?: SerDeInfo;
  BucketColumns?: string[];
  SortColumns?: Order[];
  Parameters?: Parameters;
  StoredAsSubDirectories?: boolean;
}

export interface TableInput {
  Name: string;
  Description?: string;
  Owner?: string;
  LastAccessTime?: string;
  LastAnalyzedTime?: string;
  Retention?: number;
  StorageDescriptor?: StorageDescriptor;
  PartitionKeys?: Column[];
  ViewOriginalText?: string;
  ViewExpandedText?: string;
  TableType?: string;
  Parameters?: Parameters;
}

/** The fields of TableInput, in Glue's order: used to cut a Glue `Table` down to what create-table accepts. */
export const TABLE_INPUT_KEYS = ['Name', 'Description', 'Owner', 'LastAccessTime', 'LastAnalyzedTime', 'Retention', 'StorageDescriptor',
  'PartitionKeys', 'ViewOriginalText', 'ViewExpandedText', 'TableType', 'Parameters'] as const satisfies readonly (keyof TableInput)[];

export interface Table extends TableInput {
  DatabaseName: string;
  CreateTime?: string;
  UpdateTime?: string;
  CreatedBy?: string;
  IsRegisteredWithLakeFormation?: boolean;
  CatalogId?: string;
  VersionId?: string;
}

export interface TableVersion {
  Table: Table;
  VersionId: string;
}

export interface PartitionInput {
  Values: string[];
  LastAccessTime?: string;
  StorageDescriptor?: StorageDescriptor;
  /** Per-partition statistics live here, as Glue's crawlers write them (recordCount, sizeKey, objectCount, ...). */
  Parameters?: Parameters;
  LastAnalyzedTime?: string;
}

export interface Partition extends PartitionInput {
  DatabaseName: string;
  TableName: string;
  CreationTime?: string;
  CatalogId?: string;
}

export interface ConnectionInput {
  Name: string;
  Description?: string;
  ConnectionType: string;
  MatchCriteria?: string[];
  ConnectionProperties: Record<string, string>;
  PhysicalConnectionRequirements?: { SubnetId?: string; SecurityGroupIdList?: string[]; AvailabilityZone?: string };
}

export interface Connection extends ConnectionInput {
  CreationTime?: string;
  LastUpdatedTime?: string;
  /** Epoxy's version of the definition, as tables have ('0' on create, +1 per change). */
  VersionId?: string;
}

export interface GrokClassifier { Name: string; Classification: string; GrokPattern: string; CustomPatterns?: string }
export interface XMLClassifier { Name: string; Classification: string; RowTag: string }
export interface JsonClassifier { Name: string; JsonPath: string }
export interface CsvClassifier {
  Name: string;
  Delimiter?: string;
  QuoteSymbol?: string;
  ContainsHeader?: 'UNKNOWN' | 'PRESENT' | 'ABSENT';
  Header?: string[];
  DisableValueTrimming?: boolean;
  AllowSingleColumn?: boolean;
  CustomDatatypeConfigured?: boolean;
  CustomDatatypes?: string[];
}

/** Glue's Classifier: exactly one of the four kinds. `order` is Epoxy's: custom classifiers are tried in ascending order. */
export type Classifier = (
  | { GrokClassifier: GrokClassifier; XMLClassifier?: never; JsonClassifier?: never; CsvClassifier?: never }
  | { XMLClassifier: XMLClassifier; GrokClassifier?: never; JsonClassifier?: never; CsvClassifier?: never }
  | { JsonClassifier: JsonClassifier; GrokClassifier?: never; XMLClassifier?: never; CsvClassifier?: never }
  | { CsvClassifier: CsvClassifier; GrokClassifier?: never; XMLClassifier?: never; JsonClassifier?: never }
) & { order?: number; VersionId?: string };

export interface S3Target { Path: string; Exclusions?: string[]; SampleSize?: number }

export interface CrawlerTargets {
  S3Targets?: S3Target[];
  /** Epoxy's local sources (dropped folders, OPFS, presigned URLs); filled in by the crawler issue. */
  EpoxyTargets?: { Kind: string; Path: string; Exclusions?: string[]; [key: string]: unknown }[];
}

export interface Crawler {
  Name: string;
  Role?: string;
  DatabaseName?: string;
  Description?: string;
  Targets: CrawlerTargets;
  Schedule?: string;
  Classifiers?: string[];
  TablePrefix?: string;
  SchemaChangePolicy?: { UpdateBehavior?: 'UPDATE_IN_DATABASE' | 'LOG'; DeleteBehavior?: 'LOG' | 'DELETE_FROM_DATABASE' | 'DEPRECATE_IN_DATABASE' };
  RecrawlPolicy?: { RecrawlBehavior?: 'CRAWL_EVERYTHING' | 'CRAWL_NEW_FOLDERS_ONLY' | 'CRAWL_EVENT_MODE' };
  /** JSON string, e.g. `{"Version":1.0,"Grouping":{"TableGroupingPolicy":"CombineCompatibleSchemas","TableLevelConfiguration":2}}`. */
  Configuration?: string;
  Tags?: Record<string, string>;
  /** Open extension slot for Epoxy-only settings. */
  Epoxy?: Record<string, unknown>;
  VersionId?: string;
}

export interface Job {
  Name: string;
  Description?: string;
  Role?: string;
  Command?: { Name?: string; ScriptLocation?: string; PythonVersion?: string };
  DefaultArguments?: Record<string, string>;
  Connections?: { Connections?: string[] };
  MaxRetries?: number;
  Timeout?: number;
  ExecutionProperty?: { MaxConcurrentRuns?: number };
  GlueVersion?: string;
  WorkerType?: string;
  NumberOfWorkers?: number;
  Tags?: Record<string, string>;
  /** Open extension slot: job DAG (`definition`), bookmark state (`bookmark`, run state: never versioned). */
  Epoxy?: Record<string, unknown>;
  /** Version of the definition ('0' on create, +1 per change); a bookmark moving is not a change. */
  VersionId?: string;
}

export interface Condition {
  LogicalOperator?: 'EQUALS';
  JobName?: string;
  State?: string;
  CrawlerName?: string;
  CrawlState?: string;
}

export interface Action { JobName?: string; Arguments?: Record<string, string>; Timeout?: number; CrawlerName?: string }

export interface Trigger {
  Name: string;
  WorkflowName?: string;
  Type: 'SCHEDULED' | 'CONDITIONAL' | 'ON_DEMAND' | 'EVENT';
  Schedule?: string;
  Predicate?: { Logical?: 'AND' | 'ANY'; Conditions?: Condition[] };
  Actions: Action[];
  Description?: string;
  StartOnCreation?: boolean;
  Tags?: Record<string, string>;
  Epoxy?: Record<string, unknown>;
  VersionId?: string;
}

export interface JobRun {
  Id: string;
  JobName: string;
  Attempt?: number;
  PreviousRunId?: string;
  TriggerName?: string;
  StartedOn?: string;
  LastModifiedOn?: string;
  CompletedOn?: string;
  JobRunState: 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'ERROR' | 'WAITING';
  Arguments?: Record<string, string>;
  ErrorMessage?: string;
  ExecutionTime?: number;
  Timeout?: number;
  Epoxy?: Record<string, unknown>;
}

/** One crawl, shaped like Glue's CrawlerHistory (ListCrawls). */
export interface CrawlerRun {
  CrawlId: string;
  CrawlerName: string;
  State: 'RUNNING' | 'COMPLETED' | 'FAILED' | 'STOPPED';
  StartTime?: string;
  EndTime?: string;
  Summary?: string;
  ErrorMessage?: string;
  Epoxy?: Record<string, unknown>;
}

/** Kinds of ETL objects stored by name. */
export type ObjectKind = 'connection' | 'classifier' | 'crawler' | 'job' | 'trigger';
export interface ObjectTypes { connection: Connection; classifier: Classifier; crawler: Crawler; job: Job; trigger: Trigger }

/** One kept version of an ETL object: its definition (run state such as a job's bookmark left out) and when it was saved. */
export interface ObjectVersion<K extends ObjectKind = ObjectKind> {
  VersionId: string;
  /** When this version was saved; absent for objects that predate version history. */
  SavedAt?: string;
  Value: ObjectTypes[K];
}
