import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The prebuilt static bundle served by createWorkbenchHandler(): hashed assets under dist/app,
// relative URLs (`base: './'` plus a <base href> the handler writes), no inline script, no CDN.
// Paths are absolute so the browser tests can build from any working directory.
export default defineConfig({
  root: fileURLToPath(new URL('./src/app', import.meta.url)),
  base: './',
  publicDir: false,
  resolve: { conditions: ['parapet-source'] },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/app', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
