"use client";

import { useAction } from "convex/react";
import { useState } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { errorMessage } from "@/lib/error-messages";
import type { SubscribableProviderId } from "@/lib/inbound/subscriptions";

/** What a resource looks like at each provider (lib/inbound/subscriptions.ts parseSubscription reads it). */
const RESOURCE_HINTS: Record<SubscribableProviderId, { placeholder: string; help: string }> = {
  github: { placeholder: "octo-org/app", help: "A repository as owner/repo, or an organization as org:<name> (needs the admin:org_hook scope)." },
  linear: { placeholder: "all", help: "A team's id, or all for every public team. Needs the admin scope." },
  microsoft: { placeholder: "me/messages", help: "me/messages, me/events, or a folder or calendar under them. Renewed before it expires." },
  asana: { placeholder: "1200000000000000", help: "A project's or task's gid." },
  "google-calendar": { placeholder: "primary", help: "primary, or a calendar's id. Renewed before it expires." },
  trello: { placeholder: "5abbe4b7ddc1b351ef961414", help: "A board's, list's or card's id. The connection needs the Power-Up's secret." },
  jira: {
    placeholder: "project = ABC",
    help: "A JQL filter of issueKey, project, issuetype, status, assignee or reporter with =, !=, IN, NOT IN. Needs the manage:jira-webhook scope; refreshed before its 30 days.",
  },
};

/**
 * An admin's "Subscribe": registers a webhook at the provider for one resource (a
 * repository, a team, a mailbox), through the connection, with its own endpoint and
 * secret. The provider's refusal is shown under the field in its words.
 */
export function SubscribeForm({ providerId, providerName }: { providerId: SubscribableProviderId; providerName: string }) {
  const org = useCurrentOrg();
  const subscribe = useAction(api.webhooks.inbound.subscriptions.subscribe);
  const [resource, setResource] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hint = RESOURCE_HINTS[providerId];
  const id = `subscribe-${providerId}-resource`;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await subscribe({ orgId: org.orgId, providerId, resource: resource.trim() });
      toast.success(`Subscribed: ${providerName} now sends ${resource.trim()}'s events here.`);
      setResource("");
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-2" aria-label={`Subscribe to ${providerName} webhooks`}>
      <Label htmlFor={id}>Subscribe to</Label>
      <div className="flex flex-wrap gap-2">
        <Input
          id={id}
          value={resource}
          onChange={(e) => setResource(e.target.value)}
          placeholder={hint.placeholder}
          className="max-w-sm"
          aria-invalid={error !== null}
          aria-describedby={`${id}-help${error !== null ? ` ${id}-error` : ""}`}
        />
        <Button type="submit" size="sm" disabled={busy || resource.trim() === ""} aria-busy={busy}>
          {busy ? "Subscribing…" : "Subscribe"}
        </Button>
      </div>
      <p id={`${id}-help`} className="text-muted-foreground text-xs">
        {hint.help}
      </p>
      {error !== null && (
        <p id={`${id}-error`} role="alert" className="text-destructive text-sm">
          {error}
        </p>
      )}
    </form>
  );
}
