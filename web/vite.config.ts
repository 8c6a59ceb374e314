import { defineConfig } from 'vite';

/**
 * The console builds into web/dist: static files only (served by CloudFront from a private S3
 * bucket on AWS, by the local front door at `/` locally). Vite 8 transforms TSX itself (Oxc);
 * the automatic JSX runtime needs no React import per file. No inline scripts or styles, so the
 * Content-Security-Policy can be `script-src 'self'; style-src 'self'`.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Vite inlines small assets as data: URLs by default; a strict CSP forbids them for scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
