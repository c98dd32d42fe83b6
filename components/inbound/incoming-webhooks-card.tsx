"use client";

import { useQuery } from "convex/react";
import Link from "next/link";
import { api } from "@/convex/_generated/api";
import { useNow } from "@/components/integrations/use-now";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { hasRole } from "@/lib/roles";
import { CopyField } from "./copy-field";
import { EndpointList } from "./endpoint-list";
import { NewEndpointButton, type PastedProviderId } from "./new-endpoint-button";
import { SubscribeForm } from "./subscribe-form";
import { isSubscribable } from "@/lib/inbound/subscriptions";

/**
 * The provider page's "Incoming webhooks" card, for a provider that sends webhooks
 * (lib/inbound/providers.ts): where its deliveries go (the app-level URL, or one URL
 * per endpoint), exactly what to paste where, whether the deployment has the secret
 * that verifies them, and this org's endpoints with the deliveries each refused.
 */
export function IncomingWebhooksCard({ providerId, providerName }: { providerId: string; providerName: string }) {
  const org = useCurrentOrg();
  const canManage = hasRole(org.role, "admin");
  const now = useNow();
  const setup = useQuery(api.webhooks.inbound.endpoints.setup, { orgId: org.orgId, providerId });
  const endpoints = useQuery(api.webhooks.inbound.endpoints.list, { orgId: org.orgId, providerId });
  if (setup === null) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Incoming webhooks</CardTitle>
        <CardDescription>How {providerName} tells Switchboard what happened, and the deliveries it sent.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4 text-sm">
        {setup === undefined ? (
          <Skeleton className="h-24" />
        ) : (
          <>
            {setup.appUrl !== null && (
              <div className="grid gap-2">
                <h3 className="font-medium">Webhook URL</h3>
                <p className="text-muted-foreground">One URL for every {providerName} account connected on this deployment.</p>
                <CopyField value={setup.appUrl} label={`${providerName} webhook URL`} />
              </div>
            )}
            {setup.appSecret !== null && <SecretStatus secret={setup.appSecret} canManage={canManage} providerName={providerName} />}
            {setup.pasted !== null && (
              <div className="grid gap-2">
                <h3 className="font-medium">What to paste where</h3>
                <p>
                  In <span className="font-medium">{setup.pasted.where}</span>:
                </p>
                <ol className="grid list-decimal gap-1 pl-5" aria-label={`Steps in ${setup.pasted.where}`}>
                  {setup.pasted.steps.map((step) => (
                    <li key={step}>{step}</li>
                  ))}
                </ol>
                {setup.perEndpoint && <p className="text-muted-foreground">The URL is the endpoint&apos;s own, listed below.</p>}
              </div>
            )}
            {setup.registered && (
              <p className="text-muted-foreground">
                Switchboard registers webhooks at {providerName} by its API, one endpoint per subscription, and renews them before they expire.
              </p>
            )}
            {canManage && isSubscribable(providerId) && <SubscribeForm providerId={providerId} providerName={providerName} />}
            <div className="grid gap-2">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h3 className="font-medium">Endpoints</h3>
                {canManage && setup.perEndpoint && <NewEndpointButton providerId={providerId as PastedProviderId} size="sm" />}
              </div>
              {endpoints === undefined ? (
                <Skeleton className="h-16" />
              ) : endpoints.length === 0 ? (
                <p className="text-muted-foreground">
                  {setup.appUrl !== null && !setup.perEndpoint && !setup.registered
                    ? `None: ${providerName} delivers to the URL above.`
                    : "No endpoints yet."}
                </p>
              ) : (
                <EndpointList endpoints={endpoints} canManage={canManage} showProvider={false} now={now} />
              )}
            </div>
            <Link
              href={`/o/${org.slug}/settings/events?provider=${encodeURIComponent(providerId)}`}
              className="w-fit text-sm underline underline-offset-2"
            >
              Events from {providerName}
            </Link>
          </>
        )}
      </CardContent>
    </Card>
  );
}

/** Whether the deployment has the app-level secret: admins are told which variable and what goes in it; members only whether it is set up. */
function SecretStatus({
  secret,
  canManage,
  providerName,
}: {
  secret: { env: string; what: string; configured: boolean };
  canManage: boolean;
  providerName: string;
}) {
  if (secret.configured) {
    return (
      <p data-testid="inbound-secret-status">
        Set up: deliveries to this URL are verified{canManage ? <> with <code className="font-mono text-xs">{secret.env}</code></> : null}.
      </p>
    );
  }
  return (
    <Alert data-testid="inbound-secret-status">
      <AlertTitle>Not set up yet</AlertTitle>
      <AlertDescription>
        {canManage ? (
          <p>
            Set <code className="font-mono text-xs">{secret.env}</code> on the deployment: {secret.what}. Until it is set, {providerName}&apos;s deliveries to
            this URL are refused.
          </p>
        ) : (
          <p>{providerName}&apos;s deliveries cannot be verified until an admin sets up the deployment&apos;s signing secret.</p>
        )}
      </AlertDescription>
    </Alert>
  );
}
