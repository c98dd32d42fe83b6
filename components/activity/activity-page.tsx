"use client";

import { usePaginatedQuery } from "convex/react";
import { useState } from "react";
import { api } from "@/convex/_generated/api";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Skeleton } from "@/components/ui/skeleton";
import { describeAction, describeDetails } from "@/lib/integrations/activity";
import { timeAgo } from "@/lib/integrations/status";
import { catalog, getProvider } from "@/lib/providers";
import { useNow } from "@/components/integrations/use-now";

const PAGE_SIZE = 25;

/** `/o/[orgSlug]/settings/activity`: the audit trail, newest first, filterable by provider. */
export function ActivityPage() {
  const org = useCurrentOrg();
  const [providerId, setProviderId] = useState("");
  const { results, status, loadMore } = usePaginatedQuery(
    api.audit.events.list,
    { orgId: org.orgId, ...(providerId ? { providerId } : {}) },
    { initialNumItems: PAGE_SIZE },
  );
  const now = useNow();
  return (
    <div className="grid gap-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Activity</h1>
          <p className="text-muted-foreground text-sm">Everything that happened to this organization's integrations and members.</p>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="activity-provider">Provider</Label>
          <NativeSelect id="activity-provider" value={providerId} onChange={(e) => setProviderId(e.target.value)}>
            <option value="">All activity</option>
            {catalog.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </NativeSelect>
        </div>
      </div>
      <Card>
        <CardContent>
          {status === "LoadingFirstPage" ? (
            <div className="grid gap-3" aria-busy="true">
              {[0, 1, 2, 3].map((i) => (
                <Skeleton key={i} className="h-8" />
              ))}
            </div>
          ) : results.length === 0 ? (
            <p className="text-muted-foreground py-6 text-center text-sm">Nothing has happened here yet.</p>
          ) : (
            <ol className="divide-y" aria-label="Activity">
              {results.map((event) => (
                <li key={event.id} data-testid="activity-row" data-action={event.action} className="flex flex-wrap items-baseline gap-x-2 gap-y-1 py-3 text-sm">
                  <span className="font-medium">{event.actor}</span>
                  <span>{describeAction(event.action)}</span>
                  {event.providerId && (
                    <Badge variant="secondary">{getProvider(event.providerId)?.displayName ?? event.providerId}</Badge>
                  )}
                  {event.subject && <span className="text-muted-foreground truncate">{event.subject}</span>}
                  {describeDetails(event.action, event.details) && (
                    <span className="text-muted-foreground" data-testid="activity-detail">
                      ({describeDetails(event.action, event.details)})
                    </span>
                  )}
                  <time className="text-muted-foreground ml-auto text-xs" dateTime={new Date(event.at).toISOString()} title={new Date(event.at).toLocaleString()}>
                    {timeAgo(event.at, now)}
                  </time>
                </li>
              ))}
            </ol>
          )}
          {status === "CanLoadMore" && (
            <Button variant="outline" className="mt-4 w-full" onClick={() => loadMore(PAGE_SIZE)}>
              Load more
            </Button>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
