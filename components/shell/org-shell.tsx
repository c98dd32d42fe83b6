"use client";

import { useQuery } from "convex/react";
import Link from "next/link";
import type { ReactNode } from "react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { OrgProvider } from "./org-context";
import { OrgSwitcher } from "./org-switcher";
import { UserMenu } from "./user-menu";

/** The app shell of one organization: header with switcher and account, then the page. */
export function OrgShell({ slug, children }: { slug: string; children: ReactNode }) {
  const org = useQuery(api.orgs.organizations.getBySlug, { slug });
  return (
    <div className="min-h-screen">
      <header className="flex h-14 items-center justify-between gap-2 border-b px-4">
        <div className="flex min-w-0 items-center gap-2">
          <Link href="/orgs" className="font-semibold tracking-tight">
            Switchboard
          </Link>
          <span className="text-muted-foreground">/</span>
          {org ? <OrgSwitcher current={org} /> : <Skeleton className="h-6 w-32" />}
        </div>
        <UserMenu />
      </header>
      {org === undefined ? (
        <div className="mx-auto grid max-w-5xl gap-4 p-6">
          <Skeleton className="h-8 w-48" />
          <Skeleton className="h-40" />
        </div>
      ) : org === null ? (
        <main className="mx-auto grid max-w-md gap-4 p-10 text-center">
          <h1 className="text-xl font-semibold">Organization not found</h1>
          <p className="text-muted-foreground text-sm">
            It does not exist, or you are not one of its members. Ask an admin to add you.
          </p>
          <Button asChild variant="outline">
            <Link href="/orgs">Your organizations</Link>
          </Button>
        </main>
      ) : (
        <OrgProvider value={org}>{children}</OrgProvider>
      )}
    </div>
  );
}
