import { defineConfig } from 'vite';

// The prebuilt static bundle served by createWorkbenchHandler(): hashed assets under dist/app,
// relative URLs (`base: './'` plus a <base href> the handler writes), no inline script, no CDN.
export default defineConfig({
  root: 'src/app',
  base: './',
  publicDir: false,
  resolve: { conditions: ['parapet-source'] },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../../dist/app',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    target: 'es2022',
  },
});
