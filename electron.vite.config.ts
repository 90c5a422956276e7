import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin, UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The renderer's build, shared by electron-vite (the product, into out/renderer) and the browser host (which builds
 * its own copy and serves it to Chromium). Relative asset paths, so the same files load from app:// and from the
 * browser host's made-up origin.
 */
export const rendererConfig: UserConfig = {
  root: resolve(root, 'renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: { input: resolve(root, 'renderer/index.html') },
  },
};

/**
 * Copies the ceremony templates (main/ceremony/templates/*.yaml) beside the main bundle, where templatesDirectory()
 * looks, and the node build's template catalogue when there is one (out/node/templates/catalogue.json, made by the
 * parser from the same files: its readers check it against the files beside it, and parse when it does not fit).
 */
function copyTemplates(outDir: string): Plugin {
  return {
    name: 'custodian-templates',
    closeBundle() {
      const from = resolve(root, 'main/ceremony/templates');
      const into = resolve(root, outDir, 'templates');
      mkdirSync(into, { recursive: true });
      for (const name of readdirSync(from).filter((f) => f.endsWith('.yaml'))) copyFileSync(resolve(from, name), resolve(into, name));
      const catalogue = resolve(root, 'out/node/templates/catalogue.json');
      if (existsSync(catalogue)) copyFileSync(catalogue, resolve(into, 'catalogue.json'));
      else rmSync(resolve(into, 'catalogue.json'), { force: true });
    },
  };
}

// Builds the three Electron targets from the top-level folders. The device host is a second main-process entry:
// Electron starts it as a utilityProcess. pkcs11js and usb stay external (native .node files, unpacked from asar).
// The main bundle holds no Chromium driver: under Electron, PDFs come from printToPDF (main/app/print.ts), and the
// packaging test checks that out/main never mentions playwright-core. Chunks sit beside the entries, so
// `new URL('./templates/', import.meta.url)` means out/main/templates in every one of them.
export default defineConfig({
  main: {
    plugins: [copyTemplates('out/main')],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(root, 'main/app/index.ts'),
          'device-host': resolve(root, 'native/host/main.ts'),
        },
        external: ['pkcs11js', 'usb'],
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(root, 'preload/index.ts') }, output: { format: 'cjs' } },
    },
  },
  renderer: rendererConfig,
});
