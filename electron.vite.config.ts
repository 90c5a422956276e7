import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer/vite.config';

// Builds the three Electron targets from the top-level folders. The device host is a second main-process entry:
// Electron starts it as a utilityProcess. pkcs11js and usb stay external (native .node files, unpacked from asar).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/app/index.ts'),
          'device-host': resolve(__dirname, 'native/host/main.ts'),
        },
        external: ['pkcs11js', 'usb', 'playwright-core'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'preload/index.ts') }, output: { format: 'cjs' } },
    },
  },
  renderer: rendererConfig,
});
