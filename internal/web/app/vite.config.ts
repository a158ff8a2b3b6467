import { defineConfig } from "vite";
import { resolve } from "node:path";

// The client is served by casusnet itself (internal/web embeds ../dist), so
// every file comes from the build: no CDN, no inline script (the server's
// Content-Security-Policy forbids it).
export default defineConfig({
  base: "/",
  esbuild: { jsx: "automatic" },
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      // GraphiQL's dependencies mark themselves "use client" for React
      // server components; that means nothing in a client bundle.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
      input: { main: resolve(__dirname, "index.html"), explorer: resolve(__dirname, "explorer.html") },
    },
  },
  server: {
    proxy: {
      "/graphql": { target: "http://127.0.0.1:8090", ws: true },
      "/auth": "http://127.0.0.1:8090",
      "/export": "http://127.0.0.1:8090",
      "/report": "http://127.0.0.1:8090",
    },
  },
});
