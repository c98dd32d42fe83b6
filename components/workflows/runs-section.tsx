"use client";

import { useMutation, usePaginatedQuery, useQuery } from "convex/react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { useCurrentOrg } from "@/components/shell/org-context";
import { useNow } from "@/components/integrations/use-now";
import { CodeBlock } from "@/components/ui/code-block";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/error-messages";
import { timeAgo } from "@/lib/integrations/status";
import { hasRole } from "@/lib/roles";
import type { TriggerKind } from "@/lib/workflows/run";

const PAGE = 10;
const RUN_TONE: Record<string, "success" | "destructive" | "secondary" | "outline"> = {
  succeeded: "success",
  failed: "destructive",
  cancelled: "outline",
  queued: "secondary",
  running: "secondary",
  retrying: "secondary",
};
const LIVE = new Set(["queued", "running", "retrying"]);
/** How each run was started. */
const RUN_TRIGGER_WORDS: Record<TriggerKind, string> = { manual: "manual", schedule: "scheduled", event: "event" };

/** A workflow's runs, newest first and live; each opens to its steps. */
export function RunsSection({ workflowId }: { workflowId: Id<"workflows"> }) {
  const org = useCurrentOrg();
  const now = useNow();
  const { results, status, loadMore } = usePaginatedQuery(api.workflows.runs.list, { orgId: org.orgId, workflowId }, { initialNumItems: PAGE });
  const [open, setOpen] = useState<Id<"workflowRuns"> | null>(null);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Runs</CardTitle>
      </CardHeader>
      <CardContent>
        {status === "LoadingFirstPage" ? (
          <Skeleton className="h-16" />
        ) : results.length === 0 ? (
          <p className="text-muted-foreground text-sm">No runs yet.</p>
        ) : (
          <ol className="divide-y text-sm" aria-label="Runs">
            {results.map((run) => (
              <li key={run.id} data-run-status={run.status} className="py-2">
                <button
                  type="button"
                  className="flex w-full flex-wrap items-center gap-2 text-left"
                  aria-expanded={open === run.id}
                  onClick={() => setOpen(open === run.id ? null : run.id)}
                >
                  <Badge variant={RUN_TONE[run.status] ?? "secondary"}>{run.status}</Badge>
                  <span>
                    {run.steps.filter((s) => s.status === "succeeded").length}/{run.steps.length} steps
                  </span>
                  <span className="text-muted-foreground">{RUN_TRIGGER_WORDS[run.triggerKind]}</span>
                  <time className="text-muted-foreground ml-auto text-xs">{timeAgo(run.createdAt, now)}</time>
                </button>
                {open === run.id && <RunDetail runId={run.id} />}
              </li>
            ))}
          </ol>
        )}
        {status === "CanLoadMore" && (
          <Button variant="outline" size="sm" className="mt-3" onClick={() => loadMore(PAGE)}>
            Show more
          </Button>
        )}
      </CardContent>
    </Card>
  );
}

/** Which event started a run: its type and id, and why its payload was left out, when it was. */
function EventLine({ input }: { input: Record<string, unknown> }) {
  const text = (value: unknown) => (typeof value === "string" ? value : null);
  const note = text(input.payloadNote);
  return (
    <div className="text-sm" data-testid="run-event">
      <p>
        Started by a <code>{text(input.type) ?? "unknown"}</code> event{" "}
        <code className="text-muted-foreground text-xs">{text(input.eventId) ?? ""}</code>
      </p>
      {note && <p className="text-muted-foreground">{note}</p>}
    </div>
  );
}

function RunDetail({ runId }: { runId: Id<"workflowRuns"> }) {
  const org = useCurrentOrg();
  const run = useQuery(api.workflows.runs.get, { orgId: org.orgId, runId });
  const cancel = useMutation(api.workflows.runs.cancel);
  const canCancel = hasRole(org.role, "admin");
  if (run === undefined) return <Skeleton className="mt-2 h-16" />;
  if (run === null) return <p className="text-muted-foreground mt-2">This run is gone.</p>;
  return (
    <div className="mt-3 grid gap-3" data-testid="run-detail">
      {canCancel && LIVE.has(run.status) && (
        <div>
          <Button
            size="sm"
            variant="outline"
            onClick={() =>
              void cancel({ orgId: org.orgId, runId })
                .then(() => toast.success("Run cancelled."))
                .catch((error: unknown) => toast.error(errorMessage(error)))
            }
          >
            Cancel run
          </Button>
        </div>
      )}
      {run.trigger.kind === "event" && <EventLine input={run.trigger.input} />}
      <ol className="grid gap-2">
        {run.steps.map((step) => (
          <li key={step.key} className="rounded-md border p-3" data-step-status={step.status} aria-label={`Step ${step.name}: ${step.status}`}>
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{step.name}</span>
              <code className="text-muted-foreground text-xs">{step.actionId}</code>
              <Badge variant={RUN_TONE[step.status] ?? "secondary"}>{step.status}</Badge>
              {step.attempts > 1 && <span className="text-muted-foreground text-xs">{step.attempts} attempts</span>}
              {step.correlationId && (
                <span className="text-muted-foreground ml-auto text-xs">
                  Reference{" "}
                  {canCancel ? (
                    <Link
                      className="underline"
                      href={`/o/${org.slug}/settings/integrations/${step.actionId.split(".")[0]}?call=${encodeURIComponent(step.correlationId)}`}
                    >
                      <code data-testid="step-correlation-id">{step.correlationId}</code>
                    </Link>
                  ) : (
                    <code data-testid="step-correlation-id">{step.correlationId}</code>
                  )}
                </span>
              )}
            </div>
            {step.error && (
              <p className="text-destructive mt-1" data-testid="step-error">
                {step.error.message} <span className="text-muted-foreground">({step.error.code})</span>
              </p>
            )}
            {step.nextAttemptAt && step.status !== "succeeded" && run.status === "retrying" && (
              <p className="text-muted-foreground mt-1 text-xs">Retrying {timeAgo(step.nextAttemptAt, Date.now()).replace(" ago", "")}…</p>
            )}
            {step.note && <p className="text-muted-foreground mt-1 text-xs">{step.note}</p>}
            {(step.input !== null || step.output !== null) && (
              <details className="mt-2">
                <summary className="text-muted-foreground cursor-pointer text-xs">Input and output</summary>
                <div className="mt-2 grid gap-2 sm:grid-cols-2">
                  <CodeBlock className="max-h-60" aria-label="Resolved input">
                    {JSON.stringify(step.input ?? null, null, 2)}
                  </CodeBlock>
                  <CodeBlock className="max-h-60" aria-label="Output">
                    {JSON.stringify(step.output ?? null, null, 2)}
                  </CodeBlock>
                </div>
              </details>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
