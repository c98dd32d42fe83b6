"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { z } from "zod";
import { publicEnv, readEnv } from "@/lib/env";

/**
 * What the browser side of the app is configured with. Fixed at build time: Next.js
 * inlines the `NEXT_PUBLIC_*` variables it comes from.
 */
export type PublicConfig = {
  /** The Convex deployment the app talks to. */
  convexUrl: string;
  /**
   * The app runs against the provider simulator: provider endpoints are on loopback
   * addresses, so forms accept them and leave provider host checks to the server.
   */
  simulatedProviders: boolean;
};

let fromEnv: PublicConfig | undefined;

/**
 * The public config, validated by lib/env's `publicEnv` schema; throws `EnvError`
 * naming what is missing or malformed. This module is the only code in app/ and
 * components/ that reads `process.env`.
 */
export function readPublicConfig(): PublicConfig {
  // Next.js inlines NEXT_PUBLIC_* only where they are written out literally.
  fromEnv ??= toPublicConfig(
    readEnv(publicEnv, {
      NEXT_PUBLIC_CONVEX_URL: process.env.NEXT_PUBLIC_CONVEX_URL,
      NEXT_PUBLIC_SIMULATED_PROVIDERS: process.env.NEXT_PUBLIC_SIMULATED_PROVIDERS,
    }),
  );
  return fromEnv;
}

function toPublicConfig(env: z.output<typeof publicEnv>): PublicConfig {
  return {
    convexUrl: env.NEXT_PUBLIC_CONVEX_URL,
    simulatedProviders: env.NEXT_PUBLIC_SIMULATED_PROVIDERS === "1",
  };
}

const PublicConfigContext = createContext<PublicConfig | null>(null);

/**
 * Makes the public config available to everything below. The root layout renders it
 * once, reading the environment; tests pass `config` instead.
 */
export function PublicConfigProvider({ config, children }: { config?: PublicConfig; children: ReactNode }) {
  return <PublicConfigContext value={config ?? readPublicConfig()}>{children}</PublicConfigContext>;
}

/** The public config. Throws outside a `PublicConfigProvider`. */
export function usePublicConfig(): PublicConfig {
  const config = useContext(PublicConfigContext);
  if (!config) throw new Error("usePublicConfig must be used inside a PublicConfigProvider.");
  return config;
}
