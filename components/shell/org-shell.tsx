"use client";

import { useQuery } from "convex/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { movedOrgPath } from "@/lib/org-path";
import { OrgProvider } from "./org-context";
import { OrgSwitcher } from "./org-switcher";
import { UserMenu } from "./user-menu";

/** The app shell of one organization: header with switcher and account, then the page. */
export function OrgShell({ slug, children }: { slug: string; children: ReactNode }) {
  const org = useQuery(api.orgs.organizations.getBySlug, { slug });
  const router = useRouter();
  // The org this page showed, so losing access while on it (removed, or the org deleted)
  // says so instead of "not found".
  const [shown, setShown] = useState<{ slug: string; name: string; deleted: boolean } | null>(null);
  useEffect(() => {
    if (org) setShown((before) => ({ slug: org.slug, name: org.name, deleted: org.deleted || before?.deleted === true }));
  }, [org]);
  // An old slug (the org moved): the same page under the current one, without a history entry.
  const moved = org && !org.deleted && org.slug !== slug ? org.slug : null;
  useEffect(() => {
    if (moved) router.replace(movedOrgPath(window.location, moved));
  }, [moved, router]);
  const lost = org === null && shown?.slug === slug ? shown : null;
  const deleted = org?.deleted ? org.name : lost?.deleted ? lost.name : null;
  const live = org && !org.deleted ? org : null;
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="bg-background sr-only z-50 rounded-md border px-3 py-2 text-sm focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <header className="flex h-14 items-center justify-between gap-2 border-b px-4">
        <div className="flex min-w-0 items-center gap-2">
          <Link href="/orgs" className="font-semibold tracking-tight">
            Switchboard
          </Link>
          {live && <span className="text-muted-foreground">/</span>}
          {live ? <OrgSwitcher current={live} /> : org === undefined ? <Skeleton className="h-6 w-32" /> : null}
        </div>
        <UserMenu />
      </header>
      {org === undefined ? (
        <div className="mx-auto grid max-w-5xl gap-4 p-6">
          <Skeleton className="h-8 w-48" />
          <Skeleton className="h-40" />
        </div>
      ) : live ? (
        <OrgProvider value={live}>{children}</OrgProvider>
      ) : (
        <main id="main" className="mx-auto grid max-w-md gap-4 p-10 text-center">
          {deleted !== null ? (
            <>
              <h1 className="text-xl font-semibold break-words">{deleted} was deleted</h1>
              <p className="text-muted-foreground text-sm">
                An owner deleted this organization: its connections are revoked at their providers and its data is
                deleted. Nothing in it can be used any more.
              </p>
            </>
          ) : lost ? (
            <>
              <h1 className="text-xl font-semibold">You no longer have access to {lost.name}</h1>
              <p className="text-muted-foreground text-sm">
                An admin removed you from this organization, or it was deleted. Ask an admin to add you again.
              </p>
            </>
          ) : (
            <>
              <h1 className="text-xl font-semibold">Organization not found</h1>
              <p className="text-muted-foreground text-sm">
                It does not exist, or you are not one of its members. Ask an admin to add you.
              </p>
            </>
          )}
          <Button asChild variant="outline">
            <Link href="/orgs">Your organizations</Link>
          </Button>
        </main>
      )}
    </div>
  );
}
