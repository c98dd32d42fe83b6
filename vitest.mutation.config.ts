import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

// The vitest config Stryker runs (npm run test:mutation): only the pure lib/ code and its
// colocated tests, in Node, as one flat project. The Convex and DOM projects of
// vitest.config.ts need a simulator and other runtimes and do not test lib/ directly.
export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts"],
  },
});
