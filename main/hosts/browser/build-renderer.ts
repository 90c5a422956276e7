import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The browser host's own copy of the built renderer, so an Electron build (out/renderer) never races with it. */
export const RENDERER_OUT = join(ROOT, 'out', 'browser-renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the renderer with Vite when out/renderer is missing or older than its sources. */
export async function ensureRendererBuilt(log: (line: string) => void = () => undefined): Promise<string> {
  const index = join(RENDERER_OUT, 'index.html');
  const sourcesNewest = Math.max(newestMtime(join(ROOT, 'renderer')), newestMtime(join(ROOT, 'preload')));
  if (existsSync(index) && statSync(index).mtimeMs >= sourcesNewest) return RENDERER_OUT;
  log('Building the renderer…');
  const { build } = await import('vite');
  const { rendererConfig } = await import('../../../electron.vite.config');
  await build({ ...rendererConfig, logLevel: 'warn', build: { ...rendererConfig.build, outDir: RENDERER_OUT } });
  return RENDERER_OUT;
}
