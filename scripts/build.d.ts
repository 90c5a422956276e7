// Types for scripts/build.js (plain JavaScript, so `npm start` and bin/custodian.js need no TypeScript loader).
export type BuildTarget = 'node' | 'renderer' | 'electron';
export const ROOT: string;
export const NODE_OUT: string;
export const BROWSER_RENDERER_OUT: string;
export const NODE_ENTRIES: Record<string, string>;
export const NODE_EXTERNALS: string[];
export function newestMtime(path: string): number;
export function sourcesNewest(dirs?: string[]): number;
export function isStale(target: BuildTarget): boolean;
export function copyTemplates(into?: string): string[];
export function ensureBuilt(targets?: BuildTarget[], options?: { force?: boolean; log?: (line: string) => void }): Promise<BuildTarget[]>;
