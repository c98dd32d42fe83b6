import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", ".next-*/", "convex/_generated/", "tools/convex-sandbox/fixture/convex/_generated/", "artifacts/", "next-env.d.ts", "coverage/"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // Pages and components get their configuration from usePublicConfig(); only
    // components/app/public-config.tsx reads process.env (Next.js inlines it there).
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    ignores: ["components/app/public-config.tsx"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through usePublicConfig() from components/app/public-config.tsx.",
        },
      ],
    },
  },
  {
    // Convex modules must go through the builders in convex/functions.ts.
    files: ["convex/**/*.ts"],
    ignores: ["convex/functions.ts", "convex/_generated/**", "convex/**/*.test.ts", "convex/test.*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "./_generated/server",
              importNames: ["query", "mutation", "action"],
              message: "Use the builders from convex/functions.ts.",
            },
            {
              name: "../_generated/server",
              importNames: ["query", "mutation", "action"],
              message: "Use the builders from convex/functions.ts.",
            },
          ],
        },
      ],
    },
  },
);
