import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the UI into dist/web, which the server serves as static files at `/`.
 * The output must run under a strict CSP (`script-src 'self'`, no inline script or style):
 * one external module script, one external stylesheet, no assets inlined as data: URLs.
 */
export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: path.resolve(webRoot, 'public'),
  plugins: [react()],
  build: {
    outDir: path.resolve(webRoot, '../dist/web'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // Every browser MedVault supports has modulepreload; the polyfill is dead weight.
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  server: {
    // `vite --config web/vite.config.ts` for UI work against a running `npm start`.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
