"use client";

import { useQuery } from "convex/react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { CircleCheckIcon } from "lucide-react";
import { useCallback, useMemo, useState } from "react";
import { api } from "@/convex/_generated/api";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { CALLBACK_ERROR_MESSAGES, isCallbackError } from "@/lib/errors";
import { getProvider } from "@/lib/providers";
import { hasRole } from "@/lib/roles";
import { IntegrationCard } from "./integration-card";
import { useIntegrationActions } from "./use-integration-actions";
import { useNow } from "./use-now";

const CATEGORY_LABELS: Record<string, string> = {
  communication: "Communication",
  engineering: "Engineering",
  productivity: "Productivity",
  crm: "CRM",
  social: "Social",
  cms: "Publishing",
  calendar: "Calendar",
  email: "Email",
  webhooks: "Webhooks",
};

/** `/o/[orgSlug]/settings/integrations`: every provider as a live card. */
export function IntegrationsPage() {
  const org = useCurrentOrg();
  const data = useQuery(api.integrations.connections.list, { orgId: org.orgId });
  const canManage = hasRole(org.role, "admin");
  const now = useNow();
  const [search, setSearch] = useState("");
  const [connectedOnly, setConnectedOnly] = useState(false);
  const actions = useIntegrationActions(org);

  const groups = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const shown = (data?.providers ?? []).filter(
      (p) =>
        (!needle || p.displayName.toLowerCase().includes(needle) || p.description.toLowerCase().includes(needle)) &&
        (!connectedOnly || (p.connection !== null && p.connection.status !== "disconnected")),
    );
    const byCategory = new Map<string, typeof shown>();
    for (const p of shown) byCategory.set(p.category, [...(byCategory.get(p.category) ?? []), p]);
    return [...byCategory.entries()];
  }, [data, search, connectedOnly]);

  return (
    <div className="grid gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Integrations</h1>
        <p className="text-muted-foreground text-sm">
          {canManage
            ? "Connect the tools your organization uses. Credentials are encrypted and never shown again."
            : "Only owners and admins manage integrations. You can see their status here."}
        </p>
      </div>
      <ReturnBanner providers={data?.providers} />
      {data?.simulated && (
        <Alert data-testid="simulated-notice">
          <AlertTitle>Simulated providers</AlertTitle>
          <AlertDescription>
            This deployment talks to the local provider simulator, not to the real services.
          </AlertDescription>
        </Alert>
      )}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <Input
          type="search"
          aria-label="Search integrations"
          placeholder="Search integrations"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="sm:max-w-xs"
        />
        <Label className="font-normal">
          <input type="checkbox" checked={connectedOnly} onChange={(e) => setConnectedOnly(e.target.checked)} />
          Connected only
        </Label>
      </div>
      {data === undefined ? (
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" aria-busy="true">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-52" />
          ))}
        </div>
      ) : groups.length === 0 ? (
        <p className="text-muted-foreground rounded-md border border-dashed p-8 text-center text-sm">
          {connectedOnly ? "Nothing is connected yet." : "No integration matches your search."}
        </p>
      ) : (
        groups.map(([category, providers]) => (
          <section key={category} aria-labelledby={`category-${category}`} className="grid gap-3">
            <h2 id={`category-${category}`} className="text-muted-foreground text-sm font-medium">
              {CATEGORY_LABELS[category] ?? category}
            </h2>
            <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
              {providers.map((p) => (
                <IntegrationCard
                  key={p.id}
                  provider={p}
                  connection={p.connection}
                  canManage={canManage}
                  now={now}
                  href={`/o/${org.slug}/settings/integrations/${p.id}`}
                  busy={actions.busyFor(p.id)}
                  onAction={(action) => void actions.run(p.id, action)}
                />
              ))}
            </div>
          </section>
        ))
      )}
      {actions.dialogs}
    </div>
  );
}

/**
 * The banner after a redirect-mode connect: `?connected=` or `?error=`, in plain words.
 * A consent link opened again (back button, a second tab) comes back `state_reused`; when
 * that provider is connected, that is what the person needs to hear, not a red failure
 * above a Connected card.
 */
function ReturnBanner({ providers }: { providers: ReadonlyArray<{ id: string; connection: { status: string } | null }> | undefined }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const connected = params.get("connected");
  const error = params.get("error");
  const dismiss = useCallback(() => router.replace(pathname), [router, pathname]);
  if (!connected && !error) return null;
  const providerId = connected ?? params.get("provider") ?? "";
  const name = getProvider(providerId)?.displayName ?? "The integration";
  const status = providers?.find((p) => p.id === providerId)?.connection?.status;
  if (error === "state_reused" && status !== undefined && status !== "disconnected") {
    return (
      <Alert data-testid="return-banner">
        <CircleCheckIcon />
        <AlertTitle>{name} is already connected</AlertTitle>
        <AlertDescription>
          <p>This connection link was used before, so nothing changed.</p>
          <button type="button" className="underline" onClick={dismiss}>
            Dismiss
          </button>
        </AlertDescription>
      </Alert>
    );
  }
  return connected ? (
    <Alert variant="success" data-testid="return-banner">
      <CircleCheckIcon />
      <AlertTitle>{name} is connected</AlertTitle>
      <AlertDescription>
        <button type="button" className="underline" onClick={dismiss}>
          Dismiss
        </button>
      </AlertDescription>
    </Alert>
  ) : (
    <Alert variant="destructive" data-testid="return-banner">
      <AlertTitle>{name} was not connected</AlertTitle>
      <AlertDescription>
        <p>{error && isCallbackError(error) ? CALLBACK_ERROR_MESSAGES[error] : CALLBACK_ERROR_MESSAGES.provider_error}</p>
        <button type="button" className="underline" onClick={dismiss}>
          Dismiss
        </button>
      </AlertDescription>
    </Alert>
  );
}
