"use client";

import { useAction, useMutation } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useState } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { useConfirm } from "@/components/shell/confirm-dialog";
import { useCurrentOrg } from "@/components/shell/org-context";
import { ShowOnceDialog } from "@/components/shell/show-once-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/error-messages";
import { ENDPOINT_STATE_VIEW, refusalWords } from "@/lib/inbound/words";
import { relativeTime, timeAgo } from "@/lib/integrations/status";
import { getProvider } from "@/lib/providers";
import { CopyField } from "./copy-field";
import { ToneBadge } from "./tone-badge";

export type InboundEndpoint = FunctionReturnType<typeof api.webhooks.inbound.endpoints.list>[number];

/** A provider's name from the catalog, or its id for one the catalog does not list. */
export const providerName = (providerId: string) => getProvider(providerId)?.displayName ?? providerId;

/**
 * Inbound endpoints: what each is for, its URL to copy, its state, and the deliveries it
 * refused (how many, the last one's reason in words and when). Admins can show a Notion
 * verification token once it has arrived, rotate a Standard Webhooks endpoint's secret,
 * remove an endpoint made by hand, and unsubscribe one registered at the provider (which
 * deletes it there too).
 */
export function EndpointList({
  endpoints,
  canManage,
  showProvider,
  now,
}: {
  endpoints: InboundEndpoint[];
  canManage: boolean;
  /** On the events page, where endpoints of every provider are listed together. */
  showProvider: boolean;
  now: number;
}) {
  const org = useCurrentOrg();
  const reveal = useAction(api.webhooks.inbound.endpoints.revealVerificationToken);
  const remove = useMutation(api.webhooks.inbound.endpoints.remove);
  const rotate = useAction(api.webhooks.inbound.endpoints.rotateSecret);
  const unsubscribe = useAction(api.webhooks.inbound.subscriptions.unsubscribe);
  const [rotated, setRotated] = useState<{ secret: string; until: number } | null>(null);
  const { confirm, dialog } = useConfirm();
  const [token, setToken] = useState<string | null>(null);
  const [revealing, setRevealing] = useState<string | null>(null);

  async function showToken(endpoint: InboundEndpoint) {
    setRevealing(endpoint._id);
    try {
      setToken((await reveal({ orgId: org.orgId, endpointId: endpoint._id })).token);
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setRevealing(null);
    }
  }

  return (
    <>
      <ul className="grid gap-3" aria-label="Inbound endpoints">
        {endpoints.map((endpoint) => {
          const state = ENDPOINT_STATE_VIEW[endpoint.state];
          return (
            <li key={endpoint._id} data-testid="inbound-endpoint" className="grid min-w-0 gap-2 rounded-md border p-3 text-sm">
              <div className="flex min-w-0 flex-wrap items-center gap-2">
                <span className="font-medium break-words">{endpoint.description}</span>
                {showProvider && <Badge variant="secondary">{providerName(endpoint.providerId)}</Badge>}
                <ToneBadge tone={state.tone} label={state.label} />
              </div>
              {endpoint.state !== "active" && <p className="text-muted-foreground">{state.meaning}</p>}
              <CopyField value={endpoint.url} label={`URL of ${endpoint.description}`} />
              {endpoint.subscription && (
                <p className="text-muted-foreground break-words">
                  Registered at {providerName(endpoint.providerId)}, watching {endpoint.subscription.resource}
                  {endpoint.subscription.expiresAt !== null ? `; expires ${relativeTime(endpoint.subscription.expiresAt, now)}` : ""}.
                </p>
              )}
              {endpoint.subscription?.lastError && <p className="text-destructive break-words">Last renewal failed: {endpoint.subscription.lastError}</p>}
              <p data-testid="refused-deliveries" className={endpoint.failedVerifications > 0 ? "break-words" : "text-muted-foreground"}>
                {endpoint.failedVerifications === 0
                  ? "No deliveries refused."
                  : `${endpoint.failedVerifications} deliver${endpoint.failedVerifications === 1 ? "y" : "ies"} refused.`}
                {endpoint.failedVerifications > 0 && endpoint.lastFailureReason !== null && (
                  <>
                    {" "}
                    Last{endpoint.lastFailureAt !== null ? `, ${timeAgo(endpoint.lastFailureAt, now)}` : ""}: {refusalWords(endpoint.lastFailureReason)}
                  </>
                )}
              </p>
              {!canManage && endpoint.revealPending && (
                <p className="text-muted-foreground">The provider sent its verification token; an admin can show it here once.</p>
              )}
              {canManage && (
                <div className="flex flex-wrap gap-2">
                  {endpoint.revealPending && (
                    <Button size="sm" disabled={revealing !== null} onClick={() => void showToken(endpoint)}>
                      {revealing === endpoint._id ? "Showing…" : "Show verification token"}
                    </Button>
                  )}
                  {endpoint.providerId === "custom-webhook" && (
                    <Button
                      size="sm"
                      variant="outline"
                      aria-label={`Rotate the secret of ${endpoint.description}`}
                      onClick={() =>
                        confirm({
                          title: `Rotate the secret of ${endpoint.description}?`,
                          description: "A new secret is shown once. Deliveries signed with the old one are still accepted for 24 hours, while the sender switches over.",
                          confirmLabel: "Rotate secret",
                          busyLabel: "Rotating…",
                          onConfirm: async () => {
                            try {
                              const { secret, previousExpiresAt } = await rotate({ orgId: org.orgId, endpointId: endpoint._id });
                              setRotated({ secret, until: previousExpiresAt });
                            } catch (e) {
                              toast.error(errorMessage(e));
                            }
                          },
                        })
                      }
                    >
                      Rotate secret
                    </Button>
                  )}
                  {endpoint.subscription !== null && (
                    <Button
                      size="sm"
                      variant="ghost"
                      className="text-destructive"
                      aria-label={`Unsubscribe ${endpoint.description}`}
                      onClick={() =>
                        confirm({
                          title: `Unsubscribe ${endpoint.description}?`,
                          description: "The webhook is deleted at the provider, and this URL stops taking deliveries. Events already received stay until retention removes them.",
                          confirmLabel: "Unsubscribe",
                          busyLabel: "Unsubscribing…",
                          onConfirm: async () => {
                            try {
                              await unsubscribe({ orgId: org.orgId, endpointId: endpoint._id });
                              toast.success("Unsubscribed.");
                            } catch (e) {
                              toast.error(errorMessage(e));
                            }
                          },
                        })
                      }
                    >
                      Unsubscribe
                    </Button>
                  )}
                  {endpoint.subscription === null && (
                    <Button
                      size="sm"
                      variant="ghost"
                      className="text-destructive"
                      aria-label={`Remove ${endpoint.description}`}
                      onClick={() =>
                        confirm({
                          title: `Remove ${endpoint.description}?`,
                          description: "Its URL stops taking deliveries at once. The events it already received stay until retention removes them.",
                          confirmLabel: "Remove endpoint",
                          busyLabel: "Removing…",
                          onConfirm: async () => {
                            try {
                              await remove({ orgId: org.orgId, endpointId: endpoint._id });
                              toast.success("Endpoint removed.");
                            } catch (e) {
                              toast.error(errorMessage(e));
                            }
                          },
                        })
                      }
                    >
                      Remove
                    </Button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <ShowOnceDialog
        value={token}
        label="Verification token"
        noun="token"
        note="Paste it into Notion's Verify dialog and click Verify. It is not shown again."
        title="Notion's verification token"
        description="Notion sent this token to the endpoint. Copy it now: this is the only time it is shown."
        onClose={() => setToken(null)}
      />
      <ShowOnceDialog
        value={rotated?.secret ?? null}
        label="Signing secret"
        noun="secret"
        note={`Give it to the sender. The old secret is still accepted until ${rotated ? new Date(rotated.until).toLocaleString() : ""}; then only this one.`}
        title="Secret rotated"
        description="Copy the new signing secret now: this is the only time it is shown."
        onClose={() => setRotated(null)}
      />
      {dialog}
    </>
  );
}
