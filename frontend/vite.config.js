// Builds the map app into dist/ for Django: assets under /static/, and a manifest that
// gisioc/web/views.py (index.html), gisioc/feedback/pages.py (citizen.html) and
// gisioc/wall/pages.py (wall.html) read to find an entry's script and styles.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/static/',
  // The app must never reach outside our server, so nothing is inlined from or linked to a CDN.
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2020',
    // MapLibre alone is ~1 MB minified; it lives in its own long-cached chunk.
    chunkSizeWarningLimit: 1200,
    // Assets (the page icon) stay files; map labels use the server's glyph PBFs, no web fonts.
    assetsInlineLimit: 0,
    rollupOptions: {
      // The map app, the citizens' pages (report, track, public map) and the operations
      // room's wall screen (gisioc/wall/pages.py): three entries.
      input: ['index.html', 'citizen.html', 'wall.html'],
      output: {
        manualChunks(id) {
          if (id.includes('/node_modules/maplibre-gl/') && id.endsWith('.js')) return 'maplibre';
          return undefined;
        },
      },
    },
  },
  server: {
    // `npm run dev` serves the app with hot reload and sends API and tile calls to `make run`
    // (the style's absolute URLs follow the Host header, so they point back at this server).
    proxy: { '/api': 'http://127.0.0.1:8000', '/tiles': 'http://127.0.0.1:8000' },
  },
});
