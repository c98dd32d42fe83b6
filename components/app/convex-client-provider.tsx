"use client";

import { ConvexAuthNextjsProvider } from "@convex-dev/auth/nextjs";
import { ConvexReactClient } from "convex/react";
import type { ReactNode } from "react";
import { publicEnv, readEnv } from "@/lib/env";

// Next.js inlines NEXT_PUBLIC_* only when they are written out literally.
const env = readEnv(publicEnv, {
  NEXT_PUBLIC_CONVEX_URL: process.env.NEXT_PUBLIC_CONVEX_URL,
  NEXT_PUBLIC_SIMULATED_PROVIDERS: process.env.NEXT_PUBLIC_SIMULATED_PROVIDERS,
});
const convex = new ConvexReactClient(env.NEXT_PUBLIC_CONVEX_URL);

export function ConvexClientProvider({ children }: { children: ReactNode }) {
  return <ConvexAuthNextjsProvider client={convex}>{children}</ConvexAuthNextjsProvider>;
}
