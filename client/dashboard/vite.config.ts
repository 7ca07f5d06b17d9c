import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// npm run build:dashboard: the page, built into dist/dashboard for `sealnet audit serve`
export default defineConfig({
  root: fileURLToPath(new URL('web/', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/dashboard/', import.meta.url)),
    emptyOutDir: true,
  },
})
