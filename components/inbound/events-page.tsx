"use client";

import { useQuery } from "convex/react";
import { useSearchParams } from "next/navigation";
import { api } from "@/convex/_generated/api";
import { useNow } from "@/components/integrations/use-now";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { hasRole } from "@/lib/roles";
import { EndpointList } from "./endpoint-list";
import { EventList } from "./event-list";
import { NewEndpointButton } from "./new-endpoint-button";

/**
 * `/o/[orgSlug]/settings/events`: what providers sent this organization (inbound
 * webhooks), live, and the endpoints they send to. Members read; admins replay events
 * and make and remove endpoints. `?provider=<id>` starts the list filtered to one
 * provider (the provider page links here so).
 */
export function EventsPage() {
  const org = useCurrentOrg();
  const canManage = hasRole(org.role, "admin");
  const now = useNow();
  const initialProviderId = useSearchParams().get("provider") ?? "";
  return (
    <div className="grid min-w-0 gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Events</h1>
        <p className="text-muted-foreground text-sm">
          {canManage
            ? "What providers told Switchboard by webhook: each delivery is verified, stored once and processed (status changes, workflows). Replay one to process it again."
            : "What providers told Switchboard by webhook, and how each was processed. Only owners and admins replay events or change endpoints."}
        </p>
      </div>
      <EventList initialProviderId={initialProviderId} now={now} />
      <EndpointsCard canManage={canManage} now={now} />
    </div>
  );
}

/** Every inbound endpoint of the org, and (admins) a new Standard Webhooks one. */
function EndpointsCard({ canManage, now }: { canManage: boolean; now: number }) {
  const org = useCurrentOrg();
  const endpoints = useQuery(api.webhooks.inbound.endpoints.list, { orgId: org.orgId });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Endpoints</CardTitle>
        <CardDescription>
          The URLs providers deliver to, with the deliveries each refused. Slack, Zoom and a GitHub App send to one URL per provider, shown on its integration
          page.
        </CardDescription>
        {canManage && (
          <CardAction>
            <NewEndpointButton providerId="custom-webhook" size="sm" />
          </CardAction>
        )}
      </CardHeader>
      <CardContent>
        {endpoints === undefined ? (
          <Skeleton className="h-24" />
        ) : endpoints.length === 0 ? (
          <p className="text-muted-foreground text-sm">
            No endpoints yet.{canManage ? " Make one for any system that signs its webhooks with Standard Webhooks." : ""}
          </p>
        ) : (
          <EndpointList endpoints={endpoints} canManage={canManage} showProvider now={now} />
        )}
      </CardContent>
    </Card>
  );
}
