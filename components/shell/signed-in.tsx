"use client";

import { useConvexAuth } from "convex/react";
import Link from "next/link";
import type { ReactNode } from "react";

/**
 * The signed-in part of the app, shown only while the Convex client holds a session.
 * When it ends (Sign out, an expired session), nothing below keeps querying without
 * one (queries that need a user would throw). It never navigates by itself: right
 * after signing in the client can briefly report no session, and a redirect then
 * would bounce the person away from where they were going; Sign out navigates itself.
 */
export function SignedIn({ children }: { children: ReactNode }) {
  const { isAuthenticated, isLoading } = useConvexAuth();
  if (isAuthenticated) return children;
  if (isLoading) return null;
  return (
    <main className="mx-auto grid max-w-md gap-2 p-10 text-center text-sm">
      <p className="text-muted-foreground">You are signed out.</p>
      <Link href="/signin" className="underline">
        Sign in
      </Link>
    </main>
  );
}
