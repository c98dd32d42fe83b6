import { realpathSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const projectDir = dirname(fileURLToPath(import.meta.url));

/**
 * The folder that holds both this project and its node_modules. They differ when
 * node_modules is a symlink to another checkout's (a git worktree sharing one
 * install); Turbopack resolves packages only inside its root, so it must hold both.
 */
function workspaceRoot(): string {
  let modules: string;
  try {
    modules = dirname(realpathSync(join(projectDir, "node_modules")));
  } catch {
    return projectDir;
  }
  let root = projectDir;
  while (relative(root, modules).startsWith("..") && dirname(root) !== root) root = dirname(root);
  return root.endsWith(sep) ? root.slice(0, -1) || sep : root;
}

const nextConfig: NextConfig = {
  // The offline sandbox and e2e tests build into their own folder so they never
  // clash with a developer's `next dev` output.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  turbopack: { root: workspaceRoot() },
};

export default nextConfig;
