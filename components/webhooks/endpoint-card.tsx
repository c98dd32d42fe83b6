"use client";

import { useAction, useMutation } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useState } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { CountsChart } from "@/components/charts/counts-chart";
import { useConfirm } from "@/components/shell/confirm-dialog";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/native-select";
import { bucketCounts } from "@/lib/charts";
import { errorMessage } from "@/lib/error-messages";
import { timeAgo } from "@/lib/integrations/status";
import { DeliveryLog } from "./delivery-log";
import { EndpointFormDialog } from "./endpoint-form-dialog";

/** What to do with a signing secret, said wherever one is shown. */
export const SECRET_NOTE = "Verify each delivery with it (see the Standard Webhooks libraries). It is not shown again; rotate it if it is lost.";
import { ShowOnceDialog } from "@/components/shell/show-once-dialog";

export type Endpoint = FunctionReturnType<typeof api.webhooks.outbound.endpoints.list>[number];

const HOUR_MS = 3_600_000;
const DISABLED_WORDS = {
  manual: "An admin turned it off.",
  gone: "It answered 410 Gone, which asks senders to stop.",
  failing: "Every delivery failed for 5 days.",
} as const;
const RECOVER_WINDOWS = [
  { label: "the last hour", ms: HOUR_MS },
  { label: "the last 24 hours", ms: 24 * HOUR_MS },
  { label: "the last 5 days", ms: 5 * 24 * HOUR_MS },
  { label: "the last 14 days", ms: 14 * 24 * HOUR_MS },
];

/** One endpoint: health, banner when it is off, the admin's actions, and its delivery log. */
export function EndpointCard({ endpoint, canManage, now }: { endpoint: Endpoint; canManage: boolean; now: number }) {
  const org = useCurrentOrg();
  const update = useMutation(api.webhooks.outbound.endpoints.update);
  const setEnabled = useMutation(api.webhooks.outbound.endpoints.setEnabled);
  const remove = useMutation(api.webhooks.outbound.endpoints.remove);
  const sendTest = useMutation(api.webhooks.outbound.endpoints.sendTest);
  const recover = useMutation(api.webhooks.outbound.deliveries.recover);
  const rotate = useAction(api.webhooks.outbound.endpoints.rotateSecret);
  const { confirm, dialog } = useConfirm();
  const [editing, setEditing] = useState(false);
  const [rotatedSecret, setRotatedSecret] = useState<string | null>(null);
  const [showLog, setShowLog] = useState(false);
  const [recoverWindow, setRecoverWindow] = useState(String(RECOVER_WINDOWS[1]!.ms));
  const ids = { orgId: org.orgId, endpointId: endpoint.id };

  async function run(action: () => Promise<unknown>, success: string) {
    try {
      await action();
      toast.success(success);
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  const health = endpoint.health;
  const buckets = bucketCounts(health.hourly, {
    now,
    bucketMs: HOUR_MS,
    count: 24,
    keys: ["delivered", "failed"],
    label: (start) => new Date(start).toLocaleTimeString([], { hour: "numeric" }),
  });
  const name = endpoint.description || endpoint.url;
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex min-w-0 flex-wrap items-center gap-2">
          <span className="min-w-0 font-mono text-sm break-all">{endpoint.url}</span>
          {endpoint.enabled ? <Badge variant="success">On</Badge> : <Badge variant="destructive">Off</Badge>}
        </CardTitle>
        <CardDescription className="break-words">
          {endpoint.description ? `${endpoint.description} · ` : ""}
          {endpoint.filter.includes("*") ? "All events" : endpoint.filter.join(", ")}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {!endpoint.enabled && endpoint.disabledReason && (
          <Alert variant={endpoint.disabledReason === "manual" ? "default" : "destructive"}>
            <AlertTitle>This endpoint is off</AlertTitle>
            <AlertDescription>
              {DISABLED_WORDS[endpoint.disabledReason]} Nothing is sent to it.
              {canManage ? " Turn it on to resume, then Recover what failed meanwhile." : ""}
            </AlertDescription>
          </Alert>
        )}
        <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-muted-foreground text-xs">Success, 24 hours</dt>
            <dd>{health.successRate === null ? "No attempts" : `${Math.round(health.successRate * 100)}% of ${health.attempts}`}</dd>
          </div>
          <div>
            <dt className="text-muted-foreground text-xs">Last failure</dt>
            <dd className="break-words">{endpoint.lastFailureAt ? `${timeAgo(endpoint.lastFailureAt, now)}: ${endpoint.lastFailure ?? ""}` : "None"}</dd>
          </div>
          {endpoint.previousSecretExpiresAt !== null && (
            <div>
              <dt className="text-muted-foreground text-xs">Old secret signs until</dt>
              <dd>{new Date(endpoint.previousSecretExpiresAt).toLocaleString()}</dd>
            </div>
          )}
        </dl>
        <CountsChart
          buckets={buckets}
          series={[
            { key: "delivered", label: "Delivered", tone: "success" },
            { key: "failed", label: "Failed", tone: "danger" },
          ]}
          caption="Delivery attempts per hour, last 24 hours"
          height={80}
        />
        {canManage && (
          <div className="flex flex-wrap gap-2">
            <Button size="sm" disabled={!endpoint.enabled} onClick={() => run(() => sendTest(ids), "Test event sent.")}>
              Send test event
            </Button>
            <Button size="sm" variant="outline" onClick={() => setEditing(true)}>
              Edit endpoint
            </Button>
            <Button
              size="sm"
              variant="outline"
              onClick={() =>
                confirm({
                  title: "Rotate the signing secret?",
                  description: "A new secret signs from now on. The current one keeps signing too for 24 hours, so receivers can switch over.",
                  confirmLabel: "Rotate secret",
                  busyLabel: "Rotating…",
                  onConfirm: async () => {
                    try {
                      setRotatedSecret((await rotate(ids)).secret);
                    } catch (e) {
                      toast.error(errorMessage(e));
                    }
                  },
                })
              }
            >
              Rotate secret
            </Button>
            <Button
              size="sm"
              variant="outline"
              onClick={() =>
                run(() => setEnabled({ ...ids, enabled: !endpoint.enabled }), endpoint.enabled ? "Endpoint turned off." : "Endpoint turned on.")
              }
            >
              {endpoint.enabled ? "Turn off endpoint" : "Turn on endpoint"}
            </Button>
            <Button
              size="sm"
              variant="ghost"
              className="text-destructive"
              onClick={() =>
                confirm({
                  title: `Delete ${name}?`,
                  description: "It stops receiving events at once, and its delivery log is deleted.",
                  confirmLabel: "Delete endpoint",
                  busyLabel: "Deleting…",
                  onConfirm: () => run(() => remove(ids), "Endpoint deleted."),
                })
              }
            >
              Delete endpoint
            </Button>
          </div>
        )}
        {canManage && (
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <label htmlFor={`recover-${endpoint.id}`}>Re-send failed messages from</label>
            <NativeSelect id={`recover-${endpoint.id}`} value={recoverWindow} onChange={(e) => setRecoverWindow(e.target.value)} className="w-auto">
              {RECOVER_WINDOWS.map((window) => (
                <option key={window.ms} value={String(window.ms)}>
                  {window.label}
                </option>
              ))}
            </NativeSelect>
            <Button
              size="sm"
              variant="outline"
              disabled={!endpoint.enabled}
              onClick={() => run(() => recover({ ...ids, since: Date.now() - Number(recoverWindow) }), "Re-sending failed messages.")}
            >
              Recover
            </Button>
          </div>
        )}
        <div>
          <Button size="sm" variant="ghost" aria-expanded={showLog} onClick={() => setShowLog((open) => !open)}>
            {showLog ? "Hide delivery log" : "Show delivery log"}
          </Button>
          {showLog && <DeliveryLog endpointId={endpoint.id} canManage={canManage} now={now} />}
        </div>
      </CardContent>
      {editing && (
        <EndpointFormDialog
          open
          title="Edit endpoint"
          submitLabel="Save endpoint"
          initial={{ url: endpoint.url, description: endpoint.description, filter: endpoint.filter }}
          onOpenChange={setEditing}
          onSubmit={async (values) => {
            await update({ ...ids, ...values });
            setEditing(false);
            toast.success("Endpoint saved.");
          }}
        />
      )}
      <ShowOnceDialog
        value={rotatedSecret}
        label="Signing secret"
        noun="secret"
        note={SECRET_NOTE}
        title="New signing secret"
        description="It signs every delivery from now on; the old one also signs for 24 hours."
        onClose={() => setRotatedSecret(null)}
      />
      {dialog}
    </Card>
  );
}
