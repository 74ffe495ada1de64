import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is one static bundle served by Electron's app:// scheme and by `serve` alike,
// so every asset URL is relative.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // `serve` hands this folder to anyone who asks: no source maps in it (see scripts/build.mjs).
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
