#!/usr/bin/env node
// The built code every host runs (out/), rebuilt only when a source file is newer than what was built:
//   out/node/      custodian.js (the CLI), device-host.js, browser-host.js — esbuild bundles for plain Node, with
//                  the ceremony templates (templates/*.yaml), their list for `custodian templates`
//                  (templates/catalogue.json, made by template-catalogue.js) and the print stylesheet (print.css)
//   out/browser-renderer/  the renderer the browser host serves (Vite)
//   out/main, out/preload, out/renderer   the Electron app (electron-vite), built by `npm start` under Electron
// Usage: node scripts/build.js [--force] [node] [renderer] [electron]   (no target: node and renderer)
// The staleness check is a walk of mtimes (a few milliseconds); esbuild and Vite are loaded only to build.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const NODE_OUT = join(ROOT, 'out', 'node');
export const BROWSER_RENDERER_OUT = join(ROOT, 'out', 'browser-renderer');

/** Entry points of the plain-Node bundles, by output name. */
export const NODE_ENTRIES = {
  custodian: 'main/hosts/cli/bin.ts',
  'device-host': 'native/host/main.ts',
  'browser-host': 'main/hosts/browser/start.ts',
  // run by the build itself: the templates' list for `custodian templates` (templates/catalogue.json)
  'template-catalogue': 'main/hosts/cli/write-catalogue.ts',
};

/**
 * Loaded at run time from node_modules, never bundled: native modules (their .node files stay unpacked), the
 * Chromium driver (the browser host and the CLI's printer only; optional in the package) and the build tools.
 */
export const NODE_EXTERNALS = ['pkcs11js', 'usb', 'playwright-core', 'playwright-core/*', 'electron', 'vite', 'esbuild'];

const SOURCE_DIRS = ['main', 'native', 'preload', 'renderer'];
const BUILD_INPUTS = ['package.json', 'electron.vite.config.ts', 'scripts/build.js'];

/** The newest mtime under a path (itself, every folder and every file below it, links followed); 0 if it is absent. */
export function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file makes its folder newer
  // every file's own mtime (an edit in place leaves its folder's as it was); typed entries and plain string paths
  // take half the time of a stat and a path.join per entry, and every `npx custodian` walks ~450 entries
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = `${path}/${entry.name}`;
    const mtime = entry.isFile() ? (statSync(full, { throwIfNoEntry: false })?.mtimeMs ?? 0) : newestMtime(full); // folders, links
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** The newest modification time of anything a build reads. */
export function sourcesNewest(dirs = SOURCE_DIRS) {
  return Math.max(...dirs.map((d) => newestMtime(join(ROOT, d))), ...BUILD_INPUTS.map((f) => newestMtime(join(ROOT, f))));
}

const STAMPS = {
  node: join(NODE_OUT, 'build-stamp.json'),
  renderer: join(BROWSER_RENDERER_OUT, 'index.html'),
  electron: join(ROOT, 'out', 'main', 'index.js'),
};
const SOURCES_OF = { node: SOURCE_DIRS, renderer: ['renderer', 'preload'], electron: SOURCE_DIRS };

/** True when the target's output is missing or older than one of its sources. */
export function isStale(target) {
  const stamp = STAMPS[target];
  if (!existsSync(stamp)) return true;
  return statSync(stamp).mtimeMs < sourcesNewest(SOURCES_OF[target]);
}

/** Writes a file by rename, so a process starting meanwhile sees the old file or the new one, never half of one. */
function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.part`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

// Bundled CommonJS packages call require() for Node built-ins; an ES module bundle has none unless it makes one.
const ESM_REQUIRE_BANNER =
  "import { createRequire as __custodianCreateRequire } from 'node:module'; const require = __custodianCreateRequire(import.meta.url);";

async function buildNode(log) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(NODE_ENTRIES).map(([name, entry]) => [name, join(ROOT, entry)])),
    outdir: NODE_OUT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    external: NODE_EXTERNALS,
    banner: { js: ESM_REQUIRE_BANNER },
    // React's production build only (its development build is most of its size and slower).
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    logLevel: 'warning',
    // Shared code and each lazily loaded command in its own chunk: `custodian --help` loads a few kB, not the tree.
    // Chunks sit beside the entries, so `new URL('./x', import.meta.url)` means out/node/x in every one of them.
    splitting: true,
    chunkNames: '[name]-[hash]',
    write: false,
  });
  // Chunks first (their names carry a content hash, so a running process never sees one change), entries last.
  const entries = new Set(Object.keys(NODE_ENTRIES).map((name) => join(NODE_OUT, `${name}.js`)));
  const files = [...result.outputFiles].sort((a, b) => Number(entries.has(a.path)) - Number(entries.has(b.path)));
  for (const file of files) writeAtomically(file.path, file.contents);
  const current = new Set(files.map((f) => f.path));
  for (const old of readdirSync(NODE_OUT).filter((f) => f.endsWith('.js') && !current.has(join(NODE_OUT, f)))) rmSync(join(NODE_OUT, old), { force: true });
  copyTemplates();
  await writeTemplateCatalogue().catch((error) => {
    // a template the parser refuses: no catalogue, so `custodian templates` asks the parser, which says where
    rmSync(join(NODE_OUT, 'templates', 'catalogue.json'), { force: true });
    log(`No template catalogue: ${error.message}`);
  });
  copyFileSync(join(ROOT, 'renderer', 'print', 'print.css'), join(NODE_OUT, 'print.css'));
  writeAtomically(STAMPS.node, JSON.stringify({ entries: NODE_ENTRIES, builtAt: new Date().toISOString() }) + '\n');
}

/** The ceremony templates (one .yaml per ceremony) beside the bundles, where templatesDirectory() looks for them. */
export function copyTemplates(into = join(NODE_OUT, 'templates')) {
  const from = join(ROOT, 'main', 'ceremony', 'templates');
  const names = readdirSync(from).filter((f) => f.endsWith('.yaml'));
  mkdirSync(into, { recursive: true });
  for (const name of names) writeAtomically(join(into, name), readFileSync(join(from, name)));
  for (const stale of readdirSync(into).filter((f) => f.endsWith('.yaml') && !names.includes(f))) rmSync(join(into, stale), { force: true });
  return names;
}

/**
 * templates/catalogue.json: what the full parser lists of the templates beside the bundles (names, titles and
 * descriptions for the default parameters, with each file's SHA-256), for `custodian templates` to print without
 * loading the parser. Made by the bundle itself, in a worker thread: a fresh copy of every module, whatever this
 * process loaded before (a second build here must not list the templates of the first).
 */
async function writeTemplateCatalogue() {
  const { Worker } = await import('node:worker_threads');
  const script = join(NODE_OUT, 'template-catalogue.js');
  const text = await new Promise((resolve, reject) => {
    const chunks = [];
    const worker = new Worker(script, { stdout: true, execArgv: [] }); // plain Node, whatever loader this process has
    worker.stdout.on('data', (chunk) => chunks.push(chunk));
    worker.on('error', (error) => reject(new Error(`The template catalogue could not be made (${relative(ROOT, script)}): ${error.message}`)));
    worker.on('exit', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`${relative(ROOT, script)} exited with ${code}.`)),
    );
  });
  JSON.parse(text); // a catalogue, not half of one
  writeAtomically(join(NODE_OUT, 'templates', 'catalogue.json'), text);
}

/**
 * Vite and its React plugin choose React's development or production build by NODE_ENV: vitest's global setup runs
 * with "test", which gave the development build (half as large again, slower, every effect run twice). Every build
 * here is a production build, so NODE_ENV is production while it runs.
 */
async function asProduction(build) {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    return await build();
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

async function buildRenderer() {
  const { build } = await import('vite');
  const rendererConfig = await loadRendererConfig();
  // Built into a fresh folder and swapped in, so a browser host serving the old build never sees a half-written one.
  const temporary = `${BROWSER_RENDERER_OUT}.${process.pid}.part`;
  await build({ ...rendererConfig, logLevel: 'warn', build: { ...rendererConfig.build, outDir: temporary, emptyOutDir: true } });
  const old = `${BROWSER_RENDERER_OUT}.${process.pid}.old`;
  if (existsSync(BROWSER_RENDERER_OUT)) renameSync(BROWSER_RENDERER_OUT, old);
  renameSync(temporary, BROWSER_RENDERER_OUT);
  rmSync(old, { recursive: true, force: true });
}

async function buildElectron(log) {
  // the node build first: its template catalogue is what the Electron build's config copies beside its templates
  await ensureBuilt(['node'], { log });
  const { build } = await import('electron-vite');
  await build({ configFile: join(ROOT, 'electron.vite.config.ts'), logLevel: 'warn' }); // its config copies the templates
}

/** electron.vite.config.ts is TypeScript: Vite's own config loader bundles and loads it (its `renderer` section). */
async function loadRendererConfig() {
  const { loadConfigFromFile } = await import('vite');
  const loaded = await loadConfigFromFile({ command: 'build', mode: 'production' }, join(ROOT, 'electron.vite.config.ts'), ROOT, 'silent');
  const renderer = loaded?.config?.renderer;
  if (!renderer) throw new Error('electron.vite.config.ts has no renderer section.');
  return renderer;
}

const BUILDERS = { node: buildNode, renderer: () => asProduction(buildRenderer), electron: (log) => asProduction(() => buildElectron(log)) };

/** Builds each target whose output is missing or stale (or every one with force); returns the targets built. */
export async function ensureBuilt(targets = ['node', 'renderer'], { force = false, log = () => undefined } = {}) {
  const built = [];
  for (const target of targets) {
    if (!BUILDERS[target]) throw new Error(`Unknown build target "${target}" (node, renderer, electron).`);
    if (!force && !isStale(target)) continue;
    const started = Date.now();
    log(`Building ${target === 'node' ? 'the CLI, device host and browser host' : target === 'renderer' ? 'the renderer' : 'the Electron app'}…`);
    await BUILDERS[target](log);
    log(
      `Built ${target} in ${Date.now() - started} ms (${relative(ROOT, target === 'node' ? NODE_OUT : target === 'renderer' ? BROWSER_RENDERER_OUT : join(ROOT, 'out'))}).`,
    );
    built.push(target);
  }
  return built;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const targets = args.filter((a) => !a.startsWith('--'));
  await ensureBuilt(targets.length ? targets : ['node', 'renderer'], { force: args.includes('--force'), log: (line) => console.log(line) });
}
