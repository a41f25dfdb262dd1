export declare function patchDuckDbGlue(source: string): string | null;
