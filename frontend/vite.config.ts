import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// public/.gitkeep is copied into dist, so the placeholder that lets a fresh
// clone compile (main.go embeds frontend/dist) survives every build.
export default defineConfig({
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600 },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
