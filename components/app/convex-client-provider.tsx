"use client";

import { ConvexAuthNextjsProvider } from "@convex-dev/auth/nextjs";
import { ConvexReactClient } from "convex/react";
import { useState, type ReactNode } from "react";
import { appLogger } from "./convex-logger";
import { usePublicConfig } from "./public-config";

/** Connects everything below to the Convex deployment of the public config, signed in as the viewer. */
export function ConvexClientProvider({ children }: { children: ReactNode }) {
  const { convexUrl } = usePublicConfig();
  // One client for the life of the page: the root layout stays mounted across navigations.
  const [client] = useState(() => new ConvexReactClient(convexUrl, { logger: appLogger() }));
  return <ConvexAuthNextjsProvider client={client}>{children}</ConvexAuthNextjsProvider>;
}
