"use client";

import { usePaginatedQuery, useQuery } from "convex/react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { ChevronLeftIcon } from "lucide-react";
import type { ReactNode } from "react";
import { api } from "@/convex/_generated/api";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { describeAction } from "@/lib/integrations/activity";
import { relativeTime, statusView, timeAgo } from "@/lib/integrations/status";
import { getProvider } from "@/lib/providers";
import { hasRole } from "@/lib/roles";
import { ActionsSection } from "@/components/actions/actions-section";
import { IncomingWebhooksCard } from "@/components/inbound/incoming-webhooks-card";
import { inboundProvider } from "@/lib/inbound/providers";
import { CallsChart } from "./calls-chart";
import { CallsSection } from "./calls-section";
import { actionsFor } from "./integration-card";
import { useIntegrationActions } from "./use-integration-actions";
import { useNow } from "./use-now";

const HISTORY_PAGE = 10;

/** `/o/[orgSlug]/settings/integrations/[provider]`: one connection in depth. */
export function ProviderPage({ providerId }: { providerId: string }) {
  const org = useCurrentOrg();
  const details = useQuery(api.integrations.details.get, { orgId: org.orgId, providerId });
  const actions = useIntegrationActions(org);
  const canManage = hasRole(org.role, "admin");
  const now = useNow();
  // `?call=<correlation id>` opens that call's detail (a workflow run links here).
  const router = useRouter();
  const pathname = usePathname();
  const openCall = useSearchParams().get("call");
  const setOpenCall = (id: string | null) =>
    router.replace(id ? `${pathname}?call=${encodeURIComponent(id)}` : pathname, { scroll: false });
  const back = (
    <Link href={`/o/${org.slug}/settings/integrations`} className="text-muted-foreground inline-flex items-center gap-1 text-sm hover:underline">
      <ChevronLeftIcon className="size-4" /> Integrations
    </Link>
  );
  if (details === undefined) {
    return (
      <div className="grid gap-4" aria-busy="true">
        {back}
        <Skeleton className="h-24" />
        <Skeleton className="h-48" />
      </div>
    );
  }
  const { provider, connection, consents, callHours } = details;
  const view = statusView(connection, canManage ? "admin" : "member");
  const live = connection !== null && connection.status !== "disconnected";
  const busy = actions.busyFor(provider.id);
  return (
    <div className="grid gap-6">
      {back}
      <div className="flex flex-col gap-4 sm:flex-row sm:items-center sm:justify-between">
        <div className="flex items-center gap-3">
          {/* Local SVG, fixed size: no layout shift. */}
          <img src={provider.logo} alt="" width={48} height={48} className="size-12 rounded-md" />
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">{provider.displayName}</h1>
            <p className="text-muted-foreground text-sm">{provider.description}</p>
          </div>
        </div>
        {canManage && (
          <div className="flex flex-wrap gap-2">
            {actionsFor(view.key, provider.authKind).map((a) => (
              <Button key={a.label} size="sm" variant={a.variant} disabled={busy !== null} onClick={() => void actions.run(provider.id, a.action)}>
                {busy === a.action ? a.busyLabel : a.label}
              </Button>
            ))}
          </div>
        )}
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Connection</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3 text-sm">
          <Row label="Status">
            <Badge variant={view.tone === "danger" ? "destructive" : view.tone === "success" ? "success" : "secondary"} data-testid="status-badge">
              {view.label}
            </Badge>
            {view.explanation && <span className="text-destructive">{view.explanation}</span>}
          </Row>
          {live && (
            <>
              <Row label="Account">
                {connection.accountName ?? connection.accountId ?? "—"}
                {connection.accountName && connection.accountId && connection.accountId !== connection.accountName && (
                  <span className="text-muted-foreground">({connection.accountId})</span>
                )}
              </Row>
              <Row label="Connected">{timeAgo(connection.connectedAt, now)}</Row>
              {connection.lastCheckedAt && <Row label="Last checked">{timeAgo(connection.lastCheckedAt, now)}</Row>}
              {connection.accessTokenExpiresAt && (
                <Row label="Token expires">{relativeTime(connection.accessTokenExpiresAt, now)}</Row>
              )}
              <Row label="Last 24 hours">
                {connection.calls24h} call{connection.calls24h === 1 ? "" : "s"}
                {connection.errors24h > 0 && <span className="text-destructive">({connection.errors24h} failed)</span>}
              </Row>
              {connection.lastUsedAt && <Row label="Last used">{timeAgo(connection.lastUsedAt, now)}</Row>}
              {connection.lastRefreshedAt && <Row label="Token refreshed">{timeAgo(connection.lastRefreshedAt, now)}</Row>}
              {connection.lastError && <Row label="Last error">{connection.lastError}</Row>}
            </>
          )}
          {!canManage && <p className="text-muted-foreground">Only owners and admins manage integrations.</p>}
        </CardContent>
      </Card>

      {provider.authKind === "oauth2" && (
        <Card>
          <CardHeader>
            <CardTitle>Granted scopes</CardTitle>
            <CardDescription>What {provider.displayName} allowed Switchboard to do, and who approved it.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-3 text-sm">
            {live && connection.scopes.length > 0 ? (
              <ul className="flex flex-wrap gap-2" aria-label="Granted scopes">
                {connection.scopes.map((scope) => (
                  <li key={scope}>
                    <Badge variant="outline" className="font-mono">
                      {scope}
                    </Badge>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-muted-foreground">No scopes granted.</p>
            )}
            {consents.length > 0 && (
              <ul className="text-muted-foreground grid gap-1" aria-label="Consent history">
                {consents.map((c) => (
                  <li key={c.grantedAt}>
                    {c.grantedBy} granted {c.scopes.length} scope{c.scopes.length === 1 ? "" : "s"} {timeAgo(c.grantedAt, now)}
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
      )}

      <ActionsSection providerId={provider.id} providerName={provider.displayName} />

      {inboundProvider(provider.id) !== null && <IncomingWebhooksCard providerId={provider.id} providerName={provider.displayName} />}

      {provider.authKind !== "webhook_url" && <CallsChart providerName={provider.displayName} callHours={callHours} now={now} />}

      {provider.authKind !== "webhook_url" && (
        <CallsSection
          providerId={provider.id}
          providerName={provider.displayName}
          connected={live}
          defaultPath={testPathOf(provider.id)}
          openCall={openCall}
          onOpenCall={setOpenCall}
        />
      )}

      <StatusHistory providerId={provider.id} />
      {actions.dialogs}
    </div>
  );
}

/** The catalog's own test path is a sensible first request to try. */
function testPathOf(providerId: string): string {
  const provider = getProvider(providerId);
  return provider && "test" in provider ? provider.test.path : "/";
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 sm:grid-cols-[10rem_1fr]">
      <span className="text-muted-foreground">{label}</span>
      <span className="flex flex-wrap items-center gap-2">{children}</span>
    </div>
  );
}

/** This provider's slice of the audit trail. */
function StatusHistory({ providerId }: { providerId: string }) {
  const org = useCurrentOrg();
  const now = useNow();
  const { results, status, loadMore } = usePaginatedQuery(
    api.audit.events.list,
    { orgId: org.orgId, providerId },
    { initialNumItems: HISTORY_PAGE },
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>Status history</CardTitle>
      </CardHeader>
      <CardContent>
        {status === "LoadingFirstPage" ? (
          <Skeleton className="h-16" />
        ) : results.length === 0 ? (
          <p className="text-muted-foreground text-sm">No history yet.</p>
        ) : (
          <ol className="divide-y text-sm" aria-label="Status history">
            {results.map((e) => (
              <li key={e.id} className="flex flex-wrap gap-x-2 py-2" data-action={e.action}>
                <span className="font-medium">{e.actor}</span>
                <span>{describeAction(e.action)}</span>
                <time className="text-muted-foreground ml-auto text-xs">{timeAgo(e.at, now)}</time>
              </li>
            ))}
          </ol>
        )}
        {status === "CanLoadMore" && (
          <Button variant="outline" size="sm" className="mt-3" onClick={() => loadMore(HISTORY_PAGE)}>
            Show more
          </Button>
        )}
      </CardContent>
    </Card>
  );
}
