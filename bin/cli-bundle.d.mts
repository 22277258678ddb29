export declare const CLI_ENTRY: string;
export declare const CLI_OUT_DIR: string;
export declare function cliBundleStaleness(outDir?: string): string | undefined;
export declare function buildCliBundle(outDir?: string): Promise<Array<{ file: string; bytes: number }>>;
export declare function ensureCliBundle(outDir?: string): Promise<string>;
