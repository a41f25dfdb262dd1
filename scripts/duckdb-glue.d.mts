import type { Plugin } from 'vite';
export declare function patchDuckDbGlue(source: string): string | null;
export declare function duckdbGluePlugin(): Plugin;
