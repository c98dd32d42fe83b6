import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The offline sandbox and e2e tests build into their own folder so they never
  // clash with a developer's `next dev` output.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
};

export default nextConfig;
