"use client";

import { usePaginatedQuery } from "convex/react";
import { useEffect, useState } from "react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { ScrollX } from "@/components/ui/scroll-x";
import { Skeleton } from "@/components/ui/skeleton";
import { INBOUND_PROVIDERS } from "@/lib/inbound/providers";
import { EVENT_STATUS_VIEW, type InboundEventStatusName } from "@/lib/inbound/words";
import { timeAgo } from "@/lib/integrations/status";
import { providerName } from "./endpoint-list";
import { EventDetailDialog } from "./event-detail-dialog";
import { ToneBadge } from "./tone-badge";

const EVENTS_PAGE = 25;
/** The type filter waits this long after the last keystroke, so each letter is not a new query. */
const TYPE_FILTER_DELAY_MS = 300;

/** Every provider that sends webhooks, by its catalog name. */
const PROVIDER_CHOICES = Object.keys(INBOUND_PROVIDERS)
  .map((id) => ({ id, name: providerName(id) }))
  .sort((a, b) => a.name.localeCompare(b.name));
const STATUSES = Object.keys(EVENT_STATUS_VIEW) as InboundEventStatusName[];

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(id);
  }, [value, delayMs]);
  return settled;
}

/**
 * The org's received events, newest first and live, filtered by provider, exact type
 * and status. A row's type opens its detail. The server filters one page at a time,
 * so a filtered page can come back short: Load more keeps looking.
 */
export function EventList({ initialProviderId, now }: { initialProviderId: string; now: number }) {
  const org = useCurrentOrg();
  const [providerId, setProviderId] = useState(Object.hasOwn(INBOUND_PROVIDERS, initialProviderId) ? initialProviderId : "");
  const [typeText, setTypeText] = useState("");
  const [status, setStatus] = useState<InboundEventStatusName | "">("");
  const type = useDebounced(typeText.trim(), TYPE_FILTER_DELAY_MS);
  const [openEvent, setOpenEvent] = useState<Id<"inboundEvents"> | null>(null);
  const filter = { ...(providerId ? { providerId } : {}), ...(type ? { type } : {}), ...(status ? { status } : {}) };
  const filtered = Object.keys(filter).length > 0;
  const events = usePaginatedQuery(api.webhooks.inbound.events.list, { orgId: org.orgId, filter }, { initialNumItems: EVENTS_PAGE });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Received events</CardTitle>
        <CardDescription>Every delivery providers sent this organization, newest first. New ones appear as they arrive.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="grid gap-3 sm:grid-cols-3">
          <div className="grid gap-2">
            <Label htmlFor="events-provider">Provider</Label>
            <NativeSelect id="events-provider" value={providerId} onChange={(e) => setProviderId(e.target.value)}>
              <option value="">All providers</option>
              {PROVIDER_CHOICES.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="grid gap-2">
            <Label htmlFor="events-type">Type</Label>
            <Input
              id="events-type"
              value={typeText}
              placeholder="github.issues.opened"
              autoComplete="off"
              spellCheck={false}
              aria-describedby="events-type-hint"
              onChange={(e) => setTypeText(e.target.value)}
            />
            <p id="events-type-hint" className="text-muted-foreground text-xs">
              The exact type, as listed below.
            </p>
          </div>
          <div className="grid gap-2">
            <Label htmlFor="events-status">Status</Label>
            <NativeSelect id="events-status" value={status} onChange={(e) => setStatus(e.target.value as InboundEventStatusName | "")}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {EVENT_STATUS_VIEW[s].label}
                </option>
              ))}
            </NativeSelect>
          </div>
        </div>
        {events.status === "LoadingFirstPage" ? (
          <div className="grid gap-3" aria-busy="true">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} className="h-8" />
            ))}
          </div>
        ) : events.results.length === 0 ? (
          <p className="text-muted-foreground py-6 text-center text-sm">
            {!filtered
              ? "No events yet. Deliveries appear here as providers send them."
              : events.status === "CanLoadMore"
                ? "None of the newest events match these filters. Load more to look further back."
                : "No events match these filters."}
          </p>
        ) : (
          <ScrollX label="Received events table">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Received events, newest first</caption>
              <thead className="text-muted-foreground text-xs">
                <tr>
                  <th scope="col" className="py-2 pr-3 font-normal">
                    When
                  </th>
                  <th scope="col" className="py-2 pr-3 font-normal">
                    Provider
                  </th>
                  <th scope="col" className="py-2 pr-3 font-normal">
                    Type
                  </th>
                  <th scope="col" className="py-2 pr-3 font-normal">
                    Status
                  </th>
                  <th scope="col" className="py-2 font-normal">
                    Attempts
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y">
                {events.results.map((event) => {
                  const view = EVENT_STATUS_VIEW[event.status];
                  const when = timeAgo(event.receivedAt, now);
                  return (
                    // The row opens the detail on a click anywhere; the type's button is the way in for keyboards and screen readers.
                    <tr key={event._id} data-testid="event-row" data-status={event.status} className="hover:bg-muted/50 cursor-pointer" onClick={() => setOpenEvent(event._id)}>
                      <td className="text-muted-foreground py-2 pr-3 whitespace-nowrap">
                        <time dateTime={new Date(event.receivedAt).toISOString()} title={new Date(event.receivedAt).toLocaleString()}>
                          {when}
                        </time>
                      </td>
                      <td className="py-2 pr-3 whitespace-nowrap">{providerName(event.providerId)}</td>
                      <td className="py-2 pr-3 font-mono text-xs">
                        <button
                          type="button"
                          className="text-left break-all underline-offset-2 hover:underline"
                          aria-label={`Open ${event.type}, received ${when}`}
                          onClick={(e) => {
                            e.stopPropagation();
                            setOpenEvent(event._id);
                          }}
                        >
                          {event.type}
                        </button>
                      </td>
                      <td className="py-2 pr-3">
                        <ToneBadge tone={view.tone} label={view.label} title={view.meaning} />
                      </td>
                      <td className="py-2 tabular-nums">{event.attempts}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollX>
        )}
        {events.status === "CanLoadMore" && (
          <Button variant="outline" className="w-full" onClick={() => events.loadMore(EVENTS_PAGE)}>
            Load more
          </Button>
        )}
        {events.status === "LoadingMore" && <Skeleton className="h-8" />}
      </CardContent>
      {openEvent && <EventDetailDialog eventId={openEvent} now={now} onClose={() => setOpenEvent(null)} />}
    </Card>
  );
}
