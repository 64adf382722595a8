import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const fromHere = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The SDK and protocol are bundled from source, so the dashboard never waits
// for (or drifts from) their compiled output.
export default defineConfig(({ command }) => ({
  plugins: [react()],
  // A build started from a test runner inherits NODE_ENV=test, which would ship React's development build.
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
  base: './',
  resolve: {
    alias: {
      '@herald/client': fromHere('../client/src/index.ts'),
      '@herald/protocol': fromHere('../protocol/src/index.ts'),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // One budget covers all JS (250 KB gzipped); a warning here is the first sign of drift.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      // The protocol package builds its validators at module load; the dashboard
      // uses only its types and a few constants, so those modules count as pure
      // and the schema library stays out of the bundle.
      treeshake: { moduleSideEffects: (id: string) => !id.includes('/packages/protocol/src/') },
    },
  },
  server: {
    // `npm run dev -w @herald/dashboard` next to `npm start`: the API and socket go to the local server.
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
}));
