"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { errorData } from "@/lib/error-messages";
import { ALL_EVENTS, eventGroup, WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS, WILDCARD_GROUPS } from "@/lib/webhooks";

export type EndpointFormValues = { url: string; description: string; filter: string[] };

/** Types an admin can choose: every catalog type but the test event, which Send test event sends. */
const CHOOSABLE = WEBHOOK_EVENT_TYPES.filter((type) => type !== "endpoint.test");
const GROUPS = [...new Set(CHOOSABLE.map(eventGroup))];

/**
 * Creating or editing an endpoint: URL, description and which events it receives (all,
 * or chosen types and `group.*` wildcards). The server checks everything again and its
 * errors land on the field they name.
 */
export function EndpointFormDialog({
  open,
  title,
  submitLabel,
  initial,
  onOpenChange,
  onSubmit,
}: {
  open: boolean;
  title: string;
  submitLabel: string;
  initial: EndpointFormValues;
  onOpenChange: (open: boolean) => void;
  onSubmit: (values: EndpointFormValues) => Promise<void>;
}) {
  const [url, setUrl] = useState(initial.url);
  const [description, setDescription] = useState(initial.description);
  const [filter, setFilter] = useState<string[]>(initial.filter);
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const all = filter.includes(ALL_EVENTS);

  const toggle = (key: string, on: boolean) => setFilter((current) => (on ? [...current.filter((k) => k !== ALL_EVENTS), key] : current.filter((k) => k !== key)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (filter.length === 0) return setError({ field: "filter", message: "Choose at least one event type, or all events." });
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ url, description, filter });
    } catch (e) {
      const data = errorData(e);
      setError({ field: data?.field ?? null, message: data?.message ?? "Could not save the endpoint. Try again." });
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (field: string) => (error?.field === field ? error.message : null);
  const described = (field: string) => (fieldError(field) ? { "aria-invalid": true, "aria-describedby": `endpoint-${field}-error` } : {});
  return (
    <Dialog open={open} onOpenChange={(next) => !busy && onOpenChange(next)}>
      <DialogContent className="max-h-[90vh] overflow-y-auto">
        <form onSubmit={submit} noValidate className="grid gap-4" aria-label={title}>
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>Switchboard POSTs each event as JSON, signed with the endpoint's secret.</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="endpoint-url">URL</Label>
            <Input id="endpoint-url" type="url" value={url} autoFocus placeholder="https://example.com/webhooks" onChange={(e) => setUrl(e.target.value)} {...described("url")} />
            {fieldError("url") && (
              <p id="endpoint-url-error" className="text-destructive text-sm">
                {fieldError("url")}
              </p>
            )}
          </div>
          <div className="grid gap-2">
            <Label htmlFor="endpoint-description">
              Description <span className="text-muted-foreground font-normal">(optional)</span>
            </Label>
            <Input id="endpoint-description" value={description} onChange={(e) => setDescription(e.target.value)} {...described("description")} />
            {fieldError("description") && (
              <p id="endpoint-description-error" className="text-destructive text-sm">
                {fieldError("description")}
              </p>
            )}
          </div>
          <fieldset className="grid gap-2" {...described("filter")}>
            <legend className="mb-2 text-sm font-medium">Events</legend>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={all} onChange={(e) => setFilter(e.target.checked ? [ALL_EVENTS] : [])} />
              All events
            </label>
            {!all &&
              GROUPS.map((group) => (
                <div key={group} className="grid gap-1 border-l pl-3">
                  {WILDCARD_GROUPS.includes(group) && (
                    <label className="flex items-center gap-2 text-sm font-medium">
                      <input type="checkbox" checked={filter.includes(`${group}.*`)} onChange={(e) => toggle(`${group}.*`, e.target.checked)} />
                      Every {group}.* event
                    </label>
                  )}
                  {!filter.includes(`${group}.*`) &&
                    CHOOSABLE.filter((type) => eventGroup(type) === group).map((type) => (
                      <label key={type} className="flex items-start gap-2 text-sm" title={WEBHOOK_EVENTS[type].description}>
                        <input type="checkbox" className="mt-1" checked={filter.includes(type)} onChange={(e) => toggle(type, e.target.checked)} />
                        <span className="min-w-0 break-words font-mono text-xs leading-5">{type}</span>
                      </label>
                    ))}
                </div>
              ))}
            {fieldError("filter") && (
              <p id="endpoint-filter-error" className="text-destructive text-sm">
                {fieldError("filter")}
              </p>
            )}
          </fieldset>
          {error && error.field !== "url" && error.field !== "description" && error.field !== "filter" && (
            <p role="alert" className="text-destructive text-sm">
              {error.message}
            </p>
          )}
          <DialogFooter>
            <Button type="button" variant="ghost" disabled={busy} onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy} aria-busy={busy}>
              {busy ? "Saving…" : submitLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
