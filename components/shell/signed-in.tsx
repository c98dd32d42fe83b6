"use client";

import { useConvexAuth } from "convex/react";
import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";

/**
 * The signed-in part of the app, shown only while a session exists. When it ends
 * (Sign out, an expired session), nothing below keeps querying without one (queries
 * that need a user would throw) and the person lands on the sign-in page.
 */
export function SignedIn({ children, fallback = null }: { children: ReactNode; fallback?: ReactNode }) {
  const { isAuthenticated, isLoading } = useConvexAuth();
  const router = useRouter();
  useEffect(() => {
    if (!isLoading && !isAuthenticated) router.replace("/signin");
  }, [isAuthenticated, isLoading, router]);
  return isAuthenticated ? children : fallback;
}
