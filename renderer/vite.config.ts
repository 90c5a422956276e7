import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The renderer's build, shared by electron-vite (the product) and the browser host (which serves out/renderer to
 * Chromium). Relative asset paths, so the same files load from app:// and from the browser host's made-up origin.
 */
export const rendererConfig: UserConfig = {
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(root, '../out/renderer'),
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: { input: resolve(root, 'index.html') },
  },
};

export default rendererConfig;
