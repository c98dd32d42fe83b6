"use client";

import { useAction, useQuery } from "convex/react";
import { useState, type FormEvent } from "react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { API_KEY_SCOPES, RATE_LIMIT_DEFAULT_PER_MINUTE, scopeDescription } from "@/lib/api-keys";
import { errorData } from "@/lib/error-messages";

const DAY_MS = 24 * 60 * 60_000;
const EXPIRY_CHOICES = [
  { value: "never", label: "Never" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
] as const;

type FieldError = { field: string; message: string };

/** A checkbox in the app's style: native, so keyboard and screen readers need nothing more. */
function Check({ id, name, value, label, hint, defaultChecked }: { id: string; name: string; value: string; label: string; hint?: string; defaultChecked?: boolean }) {
  return (
    <div className="flex items-start gap-2">
      <input id={id} type="checkbox" name={name} value={value} defaultChecked={defaultChecked} className="accent-primary mt-1 size-4 shrink-0" />
      <Label htmlFor={id} className="grid gap-0.5 font-normal">
        <span className="font-mono text-sm">{label}</span>
        {hint && <span className="text-muted-foreground text-xs">{hint}</span>}
      </Label>
    </div>
  );
}

/**
 * Creates a key: name, scopes, connections, expiry and rate limit. On success the
 * dialog closes and `onCreated` gets the key, which the page shows once.
 */
export function CreateKeyDialog({
  orgId,
  open,
  onOpenChange,
  onCreated,
}: {
  orgId: Id<"organizations">;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (created: { name: string; key: string }) => void;
}) {
  const create = useAction(api.apiKeys.keys.create);
  const integrations = useQuery(api.integrations.connections.list, open ? { orgId } : "skip");
  const connected = (integrations?.providers ?? []).filter((p) => p.connection && p.connection.status !== "disconnected");
  const [limited, setLimited] = useState(false);
  const [error, setError] = useState<FieldError | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "");
    const scopes = form.getAll("scopes").map(String);
    const providerIds = limited ? form.getAll("providerIds").map(String) : undefined;
    const expiry = String(form.get("expiry"));
    const rate = String(form.get("rateLimit") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const { key } = await create({
        orgId,
        name,
        scopes,
        ...(providerIds ? { providerIds } : {}),
        ...(expiry !== "never" ? { expiresAt: Date.now() + Number(expiry) * DAY_MS } : {}),
        ...(rate ? { rateLimitPerMinute: Number(rate) } : {}),
      });
      onOpenChange(false);
      setLimited(false);
      onCreated({ name: name.trim(), key });
    } catch (e) {
      const data = errorData(e);
      setError({ field: (data as { field?: string } | undefined)?.field ?? "form", message: data?.message ?? "Something went wrong. Try again." });
    } finally {
      setBusy(false);
    }
  }

  const invalid = (field: string) => (error?.field === field ? { "aria-invalid": true, "aria-describedby": `key-${field}-error` } : {});
  const errorFor = (field: string) =>
    error?.field === field && (
      <p id={`key-${field}-error`} className="text-destructive text-sm">
        {error.message}
      </p>
    );

  return (
    <Dialog open={open} onOpenChange={(next) => !busy && onOpenChange(next)}>
      <DialogContent className="max-h-[90vh] overflow-y-auto">
        <DialogHeader>
          <DialogTitle>Create an API key</DialogTitle>
          <DialogDescription>The key is shown once, right after you create it. Only its hash is stored.</DialogDescription>
        </DialogHeader>
        <form id="create-key-form" onSubmit={onSubmit} noValidate className="grid gap-4" aria-label="Create API key">
          <div className="grid gap-2">
            <Label htmlFor="key-name">Name</Label>
            <Input id="key-name" name="name" placeholder="Deploy bot" maxLength={80} {...invalid("name")} />
            {errorFor("name")}
          </div>
          <fieldset className="grid gap-2" {...invalid("scopes")}>
            <legend className="mb-1 text-sm font-medium">Scopes</legend>
            {API_KEY_SCOPES.map((scope) => (
              <Check key={scope} id={`scope-${scope}`} name="scopes" value={scope} label={scope} hint={scopeDescription(scope)} />
            ))}
            {errorFor("scopes")}
          </fieldset>
          <fieldset className="grid gap-2" {...invalid("providerIds")}>
            <legend className="mb-1 text-sm font-medium">Connections</legend>
            <div className="flex items-center gap-2">
              <input id="key-all-connections" type="radio" name="limit" checked={!limited} onChange={() => setLimited(false)} className="accent-primary size-4" />
              <Label htmlFor="key-all-connections" className="font-normal">Every connection</Label>
            </div>
            <div className="flex items-center gap-2">
              <input id="key-some-connections" type="radio" name="limit" checked={limited} onChange={() => setLimited(true)} className="accent-primary size-4" />
              <Label htmlFor="key-some-connections" className="font-normal">Only these connections</Label>
            </div>
            {limited && (
              <div className="grid gap-2 pl-6">
                {connected.length === 0 && <p className="text-muted-foreground text-sm">Nothing is connected yet.</p>}
                {connected.map((provider) => (
                  <Check key={provider.id} id={`key-provider-${provider.id}`} name="providerIds" value={provider.id} label={provider.displayName} />
                ))}
              </div>
            )}
            {errorFor("providerIds")}
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="grid gap-2">
              <Label htmlFor="key-expiry">Expires</Label>
              <NativeSelect id="key-expiry" name="expiry" defaultValue="never" {...invalid("expiresAt")}>
                {EXPIRY_CHOICES.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </NativeSelect>
              {errorFor("expiresAt")}
            </div>
            <div className="grid gap-2">
              <Label htmlFor="key-rate-limit">Requests per minute</Label>
              <Input id="key-rate-limit" name="rateLimit" type="number" inputMode="numeric" min={1} defaultValue={RATE_LIMIT_DEFAULT_PER_MINUTE} {...invalid("rateLimitPerMinute")} />
              {errorFor("rateLimitPerMinute")}
            </div>
          </div>
          {errorFor("form")}
        </form>
        <DialogFooter>
          <Button variant="ghost" disabled={busy} onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" form="create-key-form" disabled={busy}>
            {busy ? "Creating…" : "Create key"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
