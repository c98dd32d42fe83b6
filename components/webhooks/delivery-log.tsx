"use client";

import { useMutation, usePaginatedQuery } from "convex/react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/error-messages";
import { timeAgo } from "@/lib/integrations/status";

const MESSAGES_PAGE = 10;

const STATUS_BADGE = {
  delivered: { variant: "success", label: "Delivered" },
  pending: { variant: "warning", label: "Retrying" },
  failed: { variant: "destructive", label: "Failed" },
} as const;

const OUTCOME_WORDS: Record<string, string> = {
  delivered: "delivered",
  http_error: "HTTP error",
  redirect: "redirect (not followed)",
  gone: "410 Gone",
  timeout: "timed out",
  network_error: "no connection",
  refused: "refused address",
};

/** One endpoint's messages, newest first, each with its attempts; admins can replay any of them. */
export function DeliveryLog({ endpointId, canManage, now }: { endpointId: Id<"webhookEndpoints">; canManage: boolean; now: number }) {
  const org = useCurrentOrg();
  const { results, status, loadMore } = usePaginatedQuery(
    api.webhooks.outbound.deliveries.listMessages,
    { orgId: org.orgId, endpointId },
    { initialNumItems: MESSAGES_PAGE },
  );
  const replay = useMutation(api.webhooks.outbound.deliveries.replay);

  if (status === "LoadingFirstPage") return <Skeleton className="h-16 w-full" />;
  if (results.length === 0) return <p className="text-muted-foreground text-sm">Nothing sent yet. Send a test event to see one here.</p>;
  return (
    <div className="grid gap-2">
      <ul className="grid gap-2" aria-label="Delivery log">
        {results.map((message) => {
          const badge = STATUS_BADGE[message.status];
          return (
            <li key={message.id} className="grid min-w-0 gap-2 rounded-md border p-3 text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-xs break-all">{message.eventType}</span>
                <Badge variant={badge.variant}>{badge.label}</Badge>
                <span className="text-muted-foreground text-xs">{timeAgo(message.createdAt, now)}</span>
                {canManage && (
                  <Button
                    size="sm"
                    variant="outline"
                    className="ml-auto"
                    aria-label={`Replay ${message.eventType} message ${message.webhookId}`}
                    onClick={async () => {
                      try {
                        await replay({ orgId: org.orgId, messageId: message.id });
                        toast.success("Sending it again.");
                      } catch (e) {
                        toast.error(errorMessage(e));
                      }
                    }}
                  >
                    Replay
                  </Button>
                )}
              </div>
              <p className="text-muted-foreground font-mono text-xs break-all">{message.webhookId}</p>
              {message.nextAttemptAt !== null && message.attempts > 0 && (
                <p className="text-muted-foreground text-xs">Next attempt {new Date(message.nextAttemptAt).toLocaleString()}</p>
              )}
              {message.attemptLog.length > 0 && (
                <ol className="grid gap-1" aria-label={`Attempts of ${message.webhookId}`}>
                  {message.attemptLog.map((attempt) => (
                    <li key={attempt.id} className="bg-muted/40 grid gap-1 rounded px-2 py-1 text-xs">
                      <span>
                        Attempt {attempt.attempt}: {attempt.status !== null ? `HTTP ${attempt.status}, ` : ""}
                        {OUTCOME_WORDS[attempt.outcome] ?? attempt.outcome}, {attempt.latencyMs} ms, {timeAgo(attempt.at, now)}
                      </span>
                      {attempt.error && <span className="text-destructive break-words">{attempt.error}</span>}
                      {attempt.responseExcerpt && <code className="text-muted-foreground break-all whitespace-pre-wrap">{attempt.responseExcerpt}</code>}
                    </li>
                  ))}
                </ol>
              )}
            </li>
          );
        })}
      </ul>
      {status === "CanLoadMore" && (
        <Button variant="ghost" size="sm" onClick={() => loadMore(MESSAGES_PAGE)}>
          Show older messages
        </Button>
      )}
    </div>
  );
}
