"use client";

import { usePaginatedQuery } from "convex/react";
import { useState } from "react";
import { api } from "@/convex/_generated/api";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { describePurpose } from "@/lib/integrations/call-purposes";
import { timeAgo } from "@/lib/integrations/status";
import { hasRole } from "@/lib/roles";
import { CallDetailDialog } from "./call-detail-dialog";
import { TestRequestDialog } from "./test-request-dialog";
import { useNow } from "./use-now";
import { ScrollX } from "@/components/ui/scroll-x";

const CALLS_PAGE = 15;

/** The provider's last calls from the call log, and (for admins) the Test request dialog. */
export function CallsSection({
  providerId,
  providerName,
  connected,
  defaultPath,
  openCall,
  onOpenCall,
}: {
  providerId: string;
  providerName: string;
  connected: boolean;
  defaultPath: string;
  /** The correlation id whose detail is open (admins), from the row clicked or the page's `?call=`. */
  openCall: string | null;
  onOpenCall: (correlationId: string | null) => void;
}) {
  const org = useCurrentOrg();
  const now = useNow();
  const [testing, setTesting] = useState(false);
  const canOpen = hasRole(org.role, "admin");
  const { results, status, loadMore } = usePaginatedQuery(
    api.calls.logs.listForProvider,
    { orgId: org.orgId, providerId },
    { initialNumItems: CALLS_PAGE },
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>Last calls</CardTitle>
        <CardDescription>Every request Switchboard made to {providerName} for this organization.</CardDescription>
        {hasRole(org.role, "admin") && connected && (
          <CardAction>
            <Button size="sm" variant="outline" onClick={() => setTesting(true)}>
              Test request
            </Button>
          </CardAction>
        )}
      </CardHeader>
      <CardContent>
        {status === "LoadingFirstPage" ? (
          <Skeleton className="h-16" />
        ) : results.length === 0 ? (
          <p className="text-muted-foreground text-sm">No calls yet.</p>
        ) : (
          <ScrollX label="Last calls">
            <table className="w-full text-left text-sm" aria-label="Last calls">
              <thead className="text-muted-foreground text-xs">
                <tr>
                  <th className="py-2 pr-3 font-normal">When</th>
                  <th className="py-2 pr-3 font-normal">Kind</th>
                  <th className="py-2 pr-3 font-normal">Request</th>
                  <th className="py-2 pr-3 font-normal">Status</th>
                  <th className="py-2 pr-3 font-normal">Latency</th>
                  <th className="py-2 font-normal">Correlation id</th>
                </tr>
              </thead>
              <tbody className="divide-y">
                {results.map((call) => (
                  <tr key={call.id} data-testid="call-row" data-correlation-id={call.correlationId}>
                    <td className="text-muted-foreground py-2 pr-3 whitespace-nowrap">{timeAgo(call.at, now)}</td>
                    <td className="py-2 pr-3 whitespace-nowrap" data-testid="call-kind">
                      {describePurpose(call.purpose)}
                    </td>
                    <td className="py-2 pr-3 font-mono text-xs">
                      {call.method} {call.path}
                    </td>
                    <td className="py-2 pr-3">
                      <Badge variant={call.outcome === "ok" ? "success" : "destructive"}>
                        {call.status ?? call.errorCode ?? call.outcome}
                      </Badge>
                    </td>
                    <td className="py-2 pr-3 whitespace-nowrap">{call.latencyMs} ms</td>
                    <td className="py-2 font-mono text-xs">
                      {canOpen ? (
                        <button
                          type="button"
                          className="text-left underline-offset-2 hover:underline"
                          aria-label={`Open call ${call.correlationId}`}
                          onClick={() => onOpenCall(call.correlationId)}
                        >
                          {call.correlationId}
                        </button>
                      ) : (
                        call.correlationId
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollX>
        )}
        {status === "CanLoadMore" && (
          <Button variant="outline" size="sm" className="mt-3" onClick={() => loadMore(CALLS_PAGE)}>
            Show more
          </Button>
        )}
      </CardContent>
      {canOpen && openCall && <CallDetailDialog orgId={org.orgId} correlationId={openCall} onOpenChange={(open) => !open && onOpenCall(null)} />}
      {testing && (
        <TestRequestDialog
          orgId={org.orgId}
          providerId={providerId}
          providerName={providerName}
          defaultPath={defaultPath}
          open
          onOpenChange={setTesting}
        />
      )}
    </Card>
  );
}
