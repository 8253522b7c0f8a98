import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The bundle is served by the Fastify server (src/server/web.ts), which fills in the CSP nonce.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
  },
});
