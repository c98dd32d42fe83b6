"use client";

import { useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useState } from "react";
import { api } from "@/convex/_generated/api";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { hasRole } from "@/lib/roles";
import { TryActionDialog } from "./try-action-dialog";

export type OrgActionSpec = FunctionReturnType<typeof api.providerActions.catalog.forProvider>[number];

const EFFECT_LABEL = { read: "Reads", write: "Writes", destructive: "Deletes" } as const;

/** The provider page's list of what the connection can do; admins can try each one. */
export function ActionsSection({ providerId, providerName }: { providerId: string; providerName: string }) {
  const org = useCurrentOrg();
  const actions = useQuery(api.providerActions.catalog.forProvider, { orgId: org.orgId, providerId });
  const canRun = hasRole(org.role, "admin");
  const [open, setOpen] = useState<OrgActionSpec | null>(null);
  if (actions !== undefined && actions.length === 0) return null;
  const operations = actions?.filter((a) => a.kind === "operation") ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Actions</CardTitle>
        <CardDescription>
          What workflow steps and the API can do with {providerName}.{" "}
          {canRun ? "Try one to run it for real." : "Only owners and admins can run them here."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {actions === undefined ? (
          <Skeleton className="h-24" />
        ) : (
          <ul className="divide-y text-sm" aria-label={`${providerName} actions`}>
            {operations.map((action) => (
              <li key={action.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-3" data-action-id={action.id}>
                <div className="grid min-w-0 flex-1 gap-0.5">
                  <span className="font-medium">{action.title}</span>
                  <span className="text-muted-foreground">{action.description}</span>
                  <code className="text-muted-foreground text-xs">{action.id}</code>
                </div>
                <Badge variant={action.effect === "destructive" ? "destructive" : "outline"}>{EFFECT_LABEL[action.effect]}</Badge>
                {action.blockedBy?.kind === "missing_scope" && (
                  <span className="text-muted-foreground text-xs">Needs the scope {action.blockedBy.scope}: reconnect to grant it.</span>
                )}
                {canRun && (
                  <Button
                    size="sm"
                    variant="outline"
                    disabled={action.blockedBy !== null}
                    title={action.blockedBy?.kind === "not_connected" ? `Connect ${providerName} first` : undefined}
                    onClick={() => setOpen(action)}
                    aria-label={`Try ${action.title}`}
                  >
                    Try it
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
      {open && <TryActionDialog orgId={org.orgId} action={open} onOpenChange={(next) => !next && setOpen(null)} />}
    </Card>
  );
}
