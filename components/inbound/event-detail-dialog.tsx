"use client";

import { useMutation, useQuery } from "convex/react";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { ScrollX } from "@/components/ui/scroll-x";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/error-messages";
import { isRedacted, STORED_PAYLOAD_MAX_BYTES } from "@/lib/inbound/store";
import { EVENT_STATUS_VIEW, outcomeWords } from "@/lib/inbound/words";
import { relativeTime, timeAgo } from "@/lib/integrations/status";
import { prettyBody } from "@/lib/integrations/test-request-form";
import { hasRole } from "@/lib/roles";
import { providerName } from "./endpoint-list";
import { ToneBadge } from "./tone-badge";

/** "812 bytes", "64 KB", "3.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * One event in full, live: how it was verified, its redacted headers and payload, its
 * attempts and error, what processing did; and for admins, Replay (processing once more).
 * Closing it returns focus to the row's button (components/ui/dialog.tsx).
 */
export function EventDetailDialog({ eventId, now, onClose }: { eventId: Id<"inboundEvents">; now: number; onClose: () => void }) {
  const org = useCurrentOrg();
  const event = useQuery(api.webhooks.inbound.events.get, { orgId: org.orgId, eventId });
  const canReplay = hasRole(org.role, "admin");
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle className="font-mono break-all">{event?.type ?? "Event"}</DialogTitle>
          <DialogDescription>
            {event
              ? `From ${providerName(event.providerId)}, received ${new Date(event.receivedAt).toLocaleString()}.`
              : event === null
                ? "This event is no longer kept (events are deleted after the retention period)."
                : "Loading the event…"}
          </DialogDescription>
        </DialogHeader>
        {event === null ? null : event === undefined ? (
          <Skeleton className="h-48" />
        ) : (
          <div className="grid min-w-0 gap-4 text-sm">
            <dl className="grid gap-x-3 gap-y-2 sm:grid-cols-[10rem_1fr]">
              <Item label="Status">
                <ToneBadge tone={EVENT_STATUS_VIEW[event.status].tone} label={EVENT_STATUS_VIEW[event.status].label} />{" "}
                <span className="text-muted-foreground">{EVENT_STATUS_VIEW[event.status].meaning}</span>
              </Item>
              <Item label="Verification">Passed: {event.verification}</Item>
              {event.endpoint && <Item label="Endpoint">{event.endpoint.description}</Item>}
              {event.deliveryId && (
                <Item label="Delivery id">
                  <span className="font-mono text-xs break-all">{event.deliveryId}</span>
                </Item>
              )}
              <Item label="Attempts">{event.attempts}</Item>
              {event.nextAttemptAt !== null && (event.status === "failed" || event.status === "pending") && (
                <Item label="Next attempt">
                  <time dateTime={new Date(event.nextAttemptAt).toISOString()} title={new Date(event.nextAttemptAt).toLocaleString()}>
                    {relativeTime(Math.max(event.nextAttemptAt, now), now)}
                  </time>
                </Item>
              )}
              {event.processedAt !== null && <Item label="Processed">{timeAgo(event.processedAt, now)}</Item>}
              {event.lastError && (
                <Item label="Last error">
                  <span className="text-destructive break-words">{event.lastError}</span>
                </Item>
              )}
              <Item label="What processing did">{outcomeWords(event.outcome) ?? "Nothing yet: processing has not finished."}</Item>
              {event.lifecycle && <Item label="Provider said">{event.lifecycle.said}</Item>}
              <Item label="Replays">{event.replays === 0 ? "Never replayed" : `Replayed ${event.replays} time${event.replays === 1 ? "" : "s"}`}</Item>
            </dl>
            {canReplay && <ReplayControl eventId={eventId} />}
            <section aria-labelledby="event-headers-heading" className="grid gap-2">
              <h3 id="event-headers-heading" className="font-medium">
                Headers
              </h3>
              <Headers headers={event.headers} />
            </section>
            <section aria-labelledby="event-payload-heading" className="grid gap-2">
              <h3 id="event-payload-heading" className="font-medium">
                Payload <span className="text-muted-foreground font-normal">({formatBytes(event.payloadBytes)})</span>
              </h3>
              {event.payloadTruncated && (
                <p data-testid="payload-truncated" className="text-muted-foreground">
                  Truncated: only the first {formatBytes(STORED_PAYLOAD_MAX_BYTES)} of this {formatBytes(event.payloadBytes)} delivery are stored, so the
                  payload below is cut off.
                </p>
              )}
              <CodeBlock aria-label="Payload" className="max-h-96 break-all whitespace-pre-wrap">
                {event.payload === "" ? "(empty)" : prettyBody(event.payload)}
              </CodeBlock>
            </section>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

/** The headers as stored: signatures and tokens read [REDACTED], never their values. */
function Headers({ headers }: { headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return <p className="text-muted-foreground">No headers were stored.</p>;
  const anyRedacted = entries.some(([, value]) => isRedacted(value));
  return (
    <>
      <ScrollX label="Headers table">
        <table className="w-full text-left text-xs">
          <caption className="sr-only">Headers of the delivery, redacted</caption>
          <thead className="text-muted-foreground">
            <tr>
              <th scope="col" className="py-1 pr-3 font-normal">
                Name
              </th>
              <th scope="col" className="py-1 font-normal">
                Value
              </th>
            </tr>
          </thead>
          <tbody className="divide-y font-mono">
            {entries.map(([name, value]) => (
              <tr key={name}>
                <td className="py-1 pr-3 align-top whitespace-nowrap">{name}</td>
                <td className={isRedacted(value) ? "text-muted-foreground py-1 italic" : "py-1 break-all"}>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollX>
      {anyRedacted && <p className="text-muted-foreground text-xs">Signatures, tokens and secrets are never stored; they read [REDACTED].</p>}
    </>
  );
}

/** Replay: processing runs once more. No confirmation (it only re-runs); the result is said beside it. */
function ReplayControl({ eventId }: { eventId: Id<"inboundEvents"> }) {
  const org = useCurrentOrg();
  const replay = useMutation(api.webhooks.inbound.events.replay);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <div className="grid gap-1">
      <div className="flex flex-wrap items-center gap-2">
        <Button
          size="sm"
          variant="outline"
          aria-busy={busy}
          onClick={async () => {
            if (busy) return;
            setBusy(true);
            setResult(null);
            try {
              await replay({ orgId: org.orgId, eventId });
              setResult({ ok: true, text: "Replaying: processing runs once more. The status above follows it." });
              toast.success("Replaying the event.");
            } catch (e) {
              setResult({ ok: false, text: errorMessage(e) });
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? "Replaying…" : "Replay"}
        </Button>
        <span className="text-muted-foreground text-xs">Runs processing once more, so its workflows start again.</span>
      </div>
      <p role="status" className="text-muted-foreground">
        {result?.ok ? result.text : ""}
      </p>
      {result?.ok === false && (
        <p role="alert" className="text-destructive">
          {result.text}
        </p>
      )}
    </div>
  );
}
