"use client";

import { useMutation, useQuery } from "convex/react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { FunctionReturnType } from "convex/server";
import { useConfirm } from "@/components/shell/confirm-dialog";
import { useCurrentOrg } from "@/components/shell/org-context";
import { useNow } from "@/components/integrations/use-now";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/error-messages";
import { relativeTime, timeAgo } from "@/lib/integrations/status";
import { hasRole } from "@/lib/roles";
import { CreateKeyDialog } from "./create-key-dialog";
import { ShowOnceDialog } from "@/components/shell/show-once-dialog";
import { KeyUsage } from "./key-usage";
import { RotateKeyDialog } from "./rotate-key-dialog";

type ApiKey = FunctionReturnType<typeof api.apiKeys.keys.list>[number];

const STATE_BADGE: Record<ApiKey["state"], { label: string; variant: "success" | "warning" | "destructive" | "secondary" }> = {
  active: { label: "Active", variant: "success" },
  expiring: { label: "Expires soon", variant: "warning" },
  expired: { label: "Expired", variant: "secondary" },
  revoked: { label: "Revoked", variant: "destructive" },
};

const dateTime = (at: number) => new Date(at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** `/o/[orgSlug]/settings/api-keys`: the org's API keys; admins create, rotate and revoke them. */
export function ApiKeysPage() {
  const org = useCurrentOrg();
  const keys = useQuery(api.apiKeys.keys.list, { orgId: org.orgId });
  const revoke = useMutation(api.apiKeys.keys.revoke);
  const canManage = hasRole(org.role, "admin");
  const now = useNow(15_000);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const [rotating, setRotating] = useState<{ id: string; name: string } | null>(null);
  const [usageOpen, setUsageOpen] = useState<Record<string, boolean>>({});
  const { confirm, dialog } = useConfirm();

  return (
    <div className="grid gap-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
          <p className="text-muted-foreground text-sm">
            {canManage
              ? "Keys let your servers and scripts use Switchboard's API. Each has scopes, optional connection limits, a rate limit and an optional expiry."
              : "Keys of this organization, read-only. Only owners and admins create, rotate and revoke them."}{" "}
            <Link href={`/o/${org.slug}/settings/api-keys/reference`} className="underline underline-offset-4">
              API reference
            </Link>
          </p>
        </div>
        {canManage && <Button onClick={() => setCreating(true)}>Create API key</Button>}
      </div>

      {keys === undefined ? (
        <div className="grid gap-3" aria-busy="true">
          {[0, 1].map((i) => (
            <Skeleton key={i} className="h-24" />
          ))}
        </div>
      ) : keys.length === 0 ? (
        <Card>
          <CardContent>
            <p className="text-muted-foreground text-sm">No API keys yet.</p>
          </CardContent>
        </Card>
      ) : (
        <ul className="grid gap-3" aria-label="API keys">
          {keys.map((key) => {
            const badge = STATE_BADGE[key.state];
            const usable = key.state === "active" || key.state === "expiring";
            const endsAt = [key.expiresAt, key.graceEndsAt].filter((at): at is number => at !== null).sort((a, b) => a - b)[0];
            return (
              <li key={key.id} data-testid="api-key-row">
                <Card>
                  <CardContent className="grid gap-3">
                    <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
                      <div className="min-w-0">
                        <p className="flex flex-wrap items-center gap-2 font-medium">
                          <span className="truncate">{key.name}</span>
                          <Badge variant={badge.variant}>{badge.label}</Badge>
                          {key.replacedBy && key.state !== "revoked" && <Badge variant="outline">Rotated</Badge>}
                        </p>
                        <p className="text-muted-foreground font-mono text-sm" aria-label={`Key ${key.prefix}, ending ${key.lastFour}`}>
                          {key.prefix}…{key.lastFour}
                        </p>
                      </div>
                      {canManage && usable && (
                        <div className="flex flex-wrap gap-2">
                          {!key.replacedBy && (
                            <Button variant="outline" size="sm" onClick={() => setRotating({ id: key.id, name: key.name })}>
                              Rotate {key.name}
                            </Button>
                          )}
                          <Button
                            variant="outline"
                            size="sm"
                            onClick={() =>
                              confirm({
                                title: `Revoke “${key.name}”?`,
                                description: "Requests with this key are refused at once. This cannot be undone.",
                                confirmLabel: "Revoke key",
                                busyLabel: "Revoking…",
                                onConfirm: async () => {
                                  try {
                                    await revoke({ orgId: org.orgId, keyId: key.id });
                                    toast.success(`“${key.name}” is revoked.`);
                                  } catch (e) {
                                    toast.error(errorMessage(e));
                                  }
                                },
                              })
                            }
                          >
                            Revoke {key.name}
                          </Button>
                        </div>
                      )}
                    </div>
                    {key.state === "expiring" && endsAt !== undefined && (
                      <Alert>
                        <AlertDescription>
                          {key.graceEndsAt === endsAt ? "This rotated key stops working" : "This key expires"} {relativeTime(endsAt, now)} ({dateTime(endsAt)}).
                          {canManage && !key.replacedBy ? " Rotate it to get a replacement." : ""}
                        </AlertDescription>
                      </Alert>
                    )}
                    <div className="flex flex-wrap gap-1" aria-label="Scopes">
                      {key.scopes.map((scope) => (
                        <Badge key={scope} variant="secondary" className="font-mono">
                          {scope}
                        </Badge>
                      ))}
                    </div>
                    <dl className="text-muted-foreground grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
                      <div>
                        <dt className="inline">Connections: </dt>
                        <dd className="inline">{key.providerIds ? key.providerIds.join(", ") : "every connection"}</dd>
                      </div>
                      <div>
                        <dt className="inline">Rate limit: </dt>
                        <dd className="inline">{key.rateLimitPerMinute} requests a minute</dd>
                      </div>
                      <div>
                        <dt className="inline">Last used: </dt>
                        <dd className="inline" data-testid="api-key-last-used">
                          {key.lastUsedAt === null ? "never" : timeAgo(key.lastUsedAt, now)}
                        </dd>
                      </div>
                      <div>
                        <dt className="inline">{key.state === "expired" ? "Expired: " : "Expires: "}</dt>
                        <dd className="inline">{endsAt === undefined ? "never" : dateTime(endsAt)}</dd>
                      </div>
                      <div>
                        <dt className="inline">Created: </dt>
                        <dd className="inline">{dateTime(key.createdAt)}</dd>
                      </div>
                      {key.revokedAt !== null && (
                        <div>
                          <dt className="inline">Revoked: </dt>
                          <dd className="inline">{dateTime(key.revokedAt)}</dd>
                        </div>
                      )}
                    </dl>
                    <div>
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-expanded={usageOpen[key.id] === true}
                        aria-controls={`usage-${key.id}`}
                        onClick={() => setUsageOpen((open) => ({ ...open, [key.id]: !open[key.id] }))}
                      >
                        {usageOpen[key.id] ? "Hide usage" : "Show usage"} of {key.name}
                      </Button>
                      {usageOpen[key.id] && (
                        <div id={`usage-${key.id}`} className="mt-2">
                          <KeyUsage orgId={org.orgId} keyId={key.id} now={now} />
                        </div>
                      )}
                    </div>
                  </CardContent>
                </Card>
              </li>
            );
          })}
        </ul>
      )}
      {canManage && (
        <>
          <CreateKeyDialog orgId={org.orgId} open={creating} onOpenChange={setCreating} onCreated={setShown} />
          <RotateKeyDialog orgId={org.orgId} target={rotating} onClose={() => setRotating(null)} onRotated={setShown} />
          <ShowOnceDialog
            value={shown?.key ?? null}
            title={`Your new key “${shown?.name ?? ""}”`}
            description="Copy it now: it is not shown again. Anyone with it can use the API as this key."
            label="API key"
            noun="key"
            onClose={() => setShown(null)}
          />
        </>
      )}
      {dialog}
    </div>
  );
}
