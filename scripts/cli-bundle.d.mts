export interface InputStat { size: number; mtimeMs: number }
export interface BundleManifest { format: number; entry: string; builtAt?: string; duckdbGluePatched?: boolean; inputs: Record<string, InputStat> }
export declare const BUNDLE_FORMAT: number;
export declare const BUNDLE_DIR: string;
export declare function staleInputs(manifest: BundleManifest | null | undefined, statOf: (path: string) => InputStat | null): string[];
export declare function usesBundle(argv: string[], env: Record<string, string | undefined>): boolean;
export declare function freshBundle(root: string): string | null;
export declare function buildCliBundle(root: string): Promise<string>;
export declare function cliBundle(root: string): Promise<string | null>;
