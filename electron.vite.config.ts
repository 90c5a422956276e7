import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
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
  // React's production build, whatever NODE_ENV the building process has (vitest's global setup runs with "test",
  // which would otherwise give the development build: three times the size, slower, and every effect run twice).
  mode: 'production',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: { input: resolve(root, 'renderer/index.html') },
  },
};

/** Copies the ceremony templates (main/ceremony/templates/*.yaml) beside the main bundle, where templatesDirectory() looks. */
function copyTemplates(outDir: string): Plugin {
  return {
    name: 'custodian-templates',
    closeBundle() {
      const from = resolve(root, 'main/ceremony/templates');
      const into = resolve(root, outDir, 'templates');
      mkdirSync(into, { recursive: true });
      for (const name of readdirSync(from).filter((f) => f.endsWith('.yaml'))) copyFileSync(resolve(from, name), resolve(into, name));
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
