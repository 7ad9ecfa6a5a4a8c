import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w web` serves the console with hot reload and sends the API and
// relay routes to a gateway on :3000 (`npm start` in another terminal).
const gateway = process.env.WAYSTATION_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/api': gateway, '/v1': gateway, '/v1beta': gateway } },
});
