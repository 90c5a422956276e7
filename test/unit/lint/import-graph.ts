// The source tree's import graph, read from the files themselves (relative import/export … from, import(), and
// type-only imports alike: a circle of types is still a circle), and the layer rules checked over it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface SourceFile {
  /** path relative to the repository root, with forward slashes */
  path: string;
  text: string;
}

export interface ImportEdge {
  from: string;
  to: string;
  specifier: string;
  line: number;
}

const SOURCE_ROOTS = ['main', 'native', 'preload', 'renderer'];
const EXTENSIONS = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

export function readSourceTree(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  for (const top of SOURCE_ROOTS) if (existsSync(join(root, top)) && statSync(join(root, top)).isDirectory()) walk(join(root, top));
  return files;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"](\.{1,2}\/[^'"]*)['"]|import\(\s*['"](\.{1,2}\/[^'"]*)['"]\s*\)/g;

/** Every relative import between the given files (imports of other things, like package.json, are left out). */
export function importEdges(files: SourceFile[]): ImportEdge[] {
  const known = new Set(files.map((f) => f.path));
  const edges: ImportEdge[] = [];
  for (const file of files) {
    for (const match of file.text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2];
      const base = resolve('/', dirname(file.path), specifier).slice(1);
      const to = EXTENSIONS.map((ext) => base + ext).find((candidate) => known.has(candidate));
      if (!to) continue;
      edges.push({ from: file.path, to, specifier, line: file.text.slice(0, match.index).split('\n').length });
    }
  }
  return edges;
}

/** Import circles, each as the files around it (first file repeated at the end); one per strongly connected group. */
export function importCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(to)), to];
        const key = [...cycle.slice(0, -1)].sort().join('|');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...next.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

/**
 * The area a file belongs to: main/<x>, native/<x>, renderer/<x> (renderer/ itself for its top-level files) and
 * preload. Inside an area its own folders import each other freely; across areas only the area's index.ts.
 */
export function areaOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'preload') return 'preload';
  if (parts[0] === 'main' && parts[1] === 'hosts' && parts.length > 3) return `main/hosts/${parts[2]}`; // each host its own
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
}

/**
 * preload/index.ts is the Electron preload entry (contextBridge), not a face for other areas: they import the
 * contract, preload/api.ts (every IPC type), and the two pieces built from it, the channel lists and the bridge; and
 * the print contract, preload/print (the print view models and the pure React documents main and the renderer share).
 */
const PUBLIC_FILES = new Set(['preload/api.ts', 'preload/channels.ts', 'preload/bridge.ts', 'preload/print/index.ts']);

export interface LayerViolation {
  rule: string;
  file: string;
  line: number;
  message: string;
}

/** Cross-area imports that reach past the area's index.ts, with what to import instead. */
export function deepImports(edges: ImportEdge[]): LayerViolation[] {
  return edges
    .filter((e) => areaOf(e.from) !== areaOf(e.to) && !PUBLIC_FILES.has(e.to))
    .filter((e) => e.to !== `${areaOf(e.to)}/index.ts` && e.to !== `${areaOf(e.to)}/index.tsx`)
    .map((e) => {
      const area = areaOf(e.to);
      return {
        rule: 'index-only',
        file: e.from,
        line: e.line,
        message: `${e.from}:${e.line} imports '${e.specifier}', inside ${area}/; import from '${indexSpecifier(e.from, area)}' (${area}/index.ts) instead, exporting what is needed there.`,
      };
    });
}

/** The relative specifier of an area's index from a file, as the fix should write it. */
export function indexSpecifier(from: string, area: string): string {
  const fromDir = dirname(from).split('/');
  const target = area.split('/');
  let common = 0;
  while (common < fromDir.length && common < target.length && fromDir[common] === target[common]) common++;
  const up = fromDir.length - common;
  const rest = target.slice(common).join('/');
  return `${up ? '../'.repeat(up) : './'}${rest}`.replace(/\/$/, '');
}

/** The print layer and the layers around it. */
export function layerRules(edges: ImportEdge[]): LayerViolation[] {
  const out: LayerViolation[] = [];
  for (const e of edges) {
    const at = `${e.from}:${e.line}`;
    if (e.from.startsWith('preload/print/') && !e.to.startsWith('preload/print/')) {
      out.push({
        rule: 'print-layer',
        file: e.from,
        line: e.line,
        message: `${at}: preload/print is the print contract and imports nothing of ours outside it ('${e.specifier}').`,
      });
    }
    if ((e.from.startsWith('main/') || e.from.startsWith('preload/')) && e.to.startsWith('renderer/')) {
      out.push({
        rule: 'main-renderer',
        file: e.from,
        line: e.line,
        message: `${at}: main/ and preload/ import nothing from renderer/ ('${e.specifier}'); what both need belongs in preload/ (the print models and documents: preload/print).`,
      });
    }
    if (e.from.startsWith('main/app/') && e.to.startsWith('main/hosts/')) {
      out.push({
        rule: 'electron-glue',
        file: e.from,
        line: e.line,
        message: `${at}: the Electron glue (main/app) imports nothing from main/hosts ('${e.specifier}'); move what both need to a shared area (e.g. main/ipc).`,
      });
    }
  }
  return out;
}

/** Folders holding source files but no index.ts (their public face). */
export function foldersWithoutIndex(files: SourceFile[]): string[] {
  const dirs = new Set(files.map((f) => dirname(f.path)));
  const has = new Set(files.filter((f) => /\/index\.tsx?$/.test(f.path)).map((f) => dirname(f.path)));
  return [...dirs].filter((d) => !has.has(d)).sort();
}
