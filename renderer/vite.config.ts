// Builds the sandboxed renderer into dist/renderer, served by app:// (Electron) or the browser host.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // What every screen runs on (React, zod for the IPC contract, i18next) in a chunk of its own,
        // apart from the desk's code; each screen but Beranda, and pdf.js, load on demand (App.tsx, PdfPreview.tsx).
        codeSplitting: { groups: [{ name: 'framework', test: /[\\/]node_modules[\\/](react|react-dom|scheduler|zod|i18next|react-i18next)[\\/]/ }] },
      },
    },
  },
});
