import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The browser host's own build of the renderer (out/browser-renderer, so an Electron build in out/renderer never
 * races with it). `node scripts/build.js` makes it — `npm start` and the test run's global setup call it, and it
 * rebuilds only when a source file is newer — so the browser host itself loads no bundler.
 */
export function rendererBuildDir(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  const dir = fileURLToPath(new URL(fromSource ? '../../../out/browser-renderer/' : '../browser-renderer/', import.meta.url));
  if (!existsSync(join(dir, 'index.html'))) {
    throw Object.assign(new Error(`The renderer is not built (${dir} is missing): run node scripts/build.js renderer.`), { code: 'RendererNotBuilt' });
  }
  return dir;
}
