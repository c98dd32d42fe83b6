import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

// Three projects, because each kind of code runs in a different runtime:
// Convex functions in the edge runtime convex-test expects, pure lib/ and tools/
// code in Node, and React components in jsdom.
export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    // Convex Auth logs every internal store call; that noise hides real output.
    onConsoleLog: (log) => !log.includes("`auth:store`"),
    projects: [
      {
        extends: true,
        test: {
          name: "convex",
          environment: "edge-runtime",
          include: ["convex/**/*.test.ts"],
          server: { deps: { inline: ["convex-test"] } },
          globalSetup: ["tests/simulator-global-setup.ts"],
          // Every file shares one provider simulator and resets it: never run two at once.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: ["lib/**/*.test.ts", "tools/**/*.test.ts", "scripts/**/*.test.ts", "tests/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "dom",
          environment: "jsdom",
          include: ["components/**/*.test.tsx", "app/**/*.test.tsx"],
          setupFiles: ["tests/setup-dom.ts"],
        },
      },
    ],
  },
});
