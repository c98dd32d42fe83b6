"use client";

import { useQuery } from "convex/react";
import Link from "next/link";
import { api } from "@/convex/_generated/api";
import { useCurrentOrg } from "@/components/shell/org-context";
import { useNow } from "@/components/integrations/use-now";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { timeAgo } from "@/lib/integrations/status";
import { hasRole } from "@/lib/roles";

/** `/o/[slug]/settings/workflows`: the org's workflows with their last run. */
export function WorkflowsPage() {
  const org = useCurrentOrg();
  const now = useNow();
  const workflows = useQuery(api.workflows.definitions.list, { orgId: org.orgId });
  const canEdit = hasRole(org.role, "admin");
  return (
    <div className="grid gap-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Workflows</h1>
          <p className="text-muted-foreground text-sm">Steps that run your connections&apos; actions in order, by hand, on a schedule or when an event arrives.</p>
        </div>
        {canEdit && (
          <Button asChild>
            <Link href={`/o/${org.slug}/settings/workflows/new`}>New workflow</Link>
          </Button>
        )}
      </div>
      {workflows === undefined ? (
        <Skeleton className="h-32" />
      ) : workflows.length === 0 ? (
        <Card>
          <CardContent className="text-muted-foreground py-8 text-center text-sm">
            No workflows yet.{canEdit ? " Create one to run actions in order." : " Owners and admins create them."}
          </CardContent>
        </Card>
      ) : (
        <ul className="grid gap-3" aria-label="Workflows">
          {workflows.map((w) => (
            <li key={w.id}>
              <Card>
                <CardContent className="flex flex-wrap items-center gap-3 py-4">
                  <div className="grid min-w-0 flex-1 gap-0.5">
                    <Link href={`/o/${org.slug}/settings/workflows/${w.id}`} className="font-medium hover:underline">
                      {w.name}
                    </Link>
                    <span className="text-muted-foreground text-sm">
                      {w.steps.length} step{w.steps.length === 1 ? "" : "s"} ·{" "}
                      {w.trigger.kind === "schedule"
                        ? `every ${w.trigger.everyMinutes} min${w.enabled ? "" : " (paused)"}`
                        : w.trigger.kind === "event"
                          ? `on ${w.trigger.eventType}${w.trigger.filters.length > 0 ? " (filtered)" : ""}${w.enabled ? "" : " (paused)"}`
                          : "manual"}
                    </span>
                  </div>
                  {w.lastRun ? (
                    <span className="flex items-center gap-2 text-sm">
                      <Badge variant={w.lastRun.status === "succeeded" ? "success" : w.lastRun.status === "failed" ? "destructive" : "secondary"}>{w.lastRun.status}</Badge>
                      <time className="text-muted-foreground text-xs">{timeAgo(w.lastRun.createdAt, now)}</time>
                    </span>
                  ) : (
                    <span className="text-muted-foreground text-sm">Never run</span>
                  )}
                </CardContent>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
