"use client";

import { useQuery } from "convex/react";
import { useState } from "react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { CodeBlock } from "@/components/ui/code-block";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { describePurpose } from "@/lib/integrations/call-purposes";
import { prettyBody } from "@/lib/integrations/test-request-form";

/**
 * One correlation id's log rows in full (admins): who, what, the outcome, and the request
 * and answer as logged (redacted, cut to 2 KB). Opened from a call row, a toast's
 * reference or a workflow run's step.
 */
export function CallDetailDialog({
  orgId,
  correlationId,
  onOpenChange,
}: {
  orgId: Id<"organizations">;
  correlationId: string;
  onOpenChange: (open: boolean) => void;
}) {
  const rows = useQuery(api.calls.logs.byCorrelationId, { orgId, correlationId });
  const [copied, setCopied] = useState(false);
  return (
    <Dialog open onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle>Call {correlationId}</DialogTitle>
          <DialogDescription className="flex flex-wrap items-center gap-2">
            Every request logged under this correlation id.
            <Button
              size="sm"
              variant="outline"
              onClick={() =>
                void navigator.clipboard.writeText(correlationId).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? "Copied" : "Copy id"}
            </Button>
          </DialogDescription>
        </DialogHeader>
        {rows === undefined ? (
          <Skeleton className="h-32" />
        ) : rows.length === 0 ? (
          <p className="text-muted-foreground text-sm">No call is logged under this id (it may be older than the retention period).</p>
        ) : (
          <ol className="grid gap-4" aria-label="Logged requests">
            {rows.map((row) => (
              <li key={row.id} className="grid gap-2 rounded-md border p-3 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <Badge variant={row.outcome === "ok" ? "success" : "destructive"}>{row.status ?? row.errorCode ?? row.outcome}</Badge>
                  <span className="font-mono text-xs">
                    {row.method} {row.path}
                  </span>
                  <span className="text-muted-foreground">{describePurpose(row.purpose)}</span>
                </div>
                <dl className="text-muted-foreground grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-xs">
                  <dt>When</dt>
                  <dd>{new Date(row.at).toLocaleString()}</dd>
                  <dt>By</dt>
                  <dd>{row.actor}</dd>
                  <dt>Latency</dt>
                  <dd>
                    {row.latencyMs} ms, {row.attempts} attempt{row.attempts === 1 ? "" : "s"}
                    {row.refresh ? ` (token ${row.refresh})` : ""}
                  </dd>
                  {row.errorMessage && (
                    <>
                      <dt>Error</dt>
                      <dd className="text-destructive">{row.errorMessage}</dd>
                    </>
                  )}
                </dl>
                <div className="grid gap-2 md:grid-cols-2">
                  <section aria-label="Request as logged">
                    <h3 className="text-muted-foreground mb-1 text-xs">Request</h3>
                    <CodeBlock className="max-h-64">{prettyBody(row.request)}</CodeBlock>
                  </section>
                  <section aria-label="Answer as logged">
                    <h3 className="text-muted-foreground mb-1 text-xs">Answer</h3>
                    <CodeBlock className="max-h-64">{row.response ? prettyBody(row.response) : "(none)"}</CodeBlock>
                  </section>
                </div>
              </li>
            ))}
          </ol>
        )}
      </DialogContent>
    </Dialog>
  );
}
