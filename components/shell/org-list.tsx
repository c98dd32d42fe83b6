"use client";

import { useQuery } from "convex/react";
import Link from "next/link";
import { PlusIcon } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { CreateOrgDialog } from "./create-org-dialog";

/** The organizations the viewer belongs to, and a way to create one. */
export function OrgList() {
  const orgs = useQuery(api.orgs.organizations.listMine);
  return (
    <Card className="w-full max-w-md">
      <CardHeader>
        <CardTitle as="h1" className="text-xl">Your organizations</CardTitle>
        <CardDescription>Pick one to manage its integrations and members.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {orgs === undefined ? (
          <>
            <Skeleton className="h-12" />
            <Skeleton className="h-12" />
          </>
        ) : orgs.length === 0 ? (
          <p className="text-muted-foreground text-sm">You are not in any organization yet. Create one to start.</p>
        ) : (
          <ul className="grid gap-2">
            {orgs.map((org) => (
              <li key={org.orgId}>
                <Link
                  href={`/o/${org.slug}/settings/integrations`}
                  className="hover:bg-accent flex items-center justify-between rounded-md border px-4 py-3"
                >
                  <span className="min-w-0">
                    <span className="block truncate font-medium">{org.name}</span>
                    {/* Two organizations may share a name; the slug tells them apart. */}
                    <span className="text-muted-foreground block truncate text-xs">{org.slug}</span>
                  </span>
                  <Badge variant="secondary">{org.role}</Badge>
                </Link>
              </li>
            ))}
          </ul>
        )}
        <CreateOrgDialog
          trigger={
            // The next step when there is nothing yet: the primary button; beside a list, a quiet one.
            <Button variant={orgs?.length === 0 ? "default" : "outline"}>
              <PlusIcon /> Create organization
            </Button>
          }
        />
      </CardContent>
    </Card>
  );
}
