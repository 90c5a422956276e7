import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { UserConfig } from 'vite';

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

// Builds the three Electron targets from the top-level folders. The device host is a second main-process entry:
// Electron starts it as a utilityProcess. pkcs11js and usb stay external (native .node files, unpacked from asar).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(root, 'main/app/index.ts'),
          'device-host': resolve(root, 'native/host/main.ts'),
        },
        external: ['pkcs11js', 'usb', 'playwright-core'],
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
