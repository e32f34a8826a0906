import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  server: {
    // `npm run dev:web` proxies the API and Socket.IO to a running Gantry.
    proxy: { '/socket.io': { target: 'http://127.0.0.1:8080', ws: true }, '/health': 'http://127.0.0.1:8080', '/api': 'http://127.0.0.1:8080' },
  },
});
