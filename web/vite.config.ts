// The browser app is served by `stream serve --static web/dist` from the API's own origin,
// under a Content-Security-Policy without 'unsafe-inline': the build must therefore put
// every script and style in its own file (no inlined assets, no inline module preload).
import { defineConfig } from "vite";

export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: false,
    sourcemap: false,
    target: "es2022",
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8080", "/healthz": "http://127.0.0.1:8080" },
  },
});
