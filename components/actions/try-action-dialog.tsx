"use client";

import { useAction } from "convex/react";
import { useMemo, useState, type FormEvent } from "react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { CodeBlock } from "@/components/ui/code-block";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { errorMessage } from "@/lib/error-messages";
import { formFields, formInput, type FormValues } from "@/lib/actions/form";
import { ActionFields } from "./action-form";
import type { OrgActionSpec } from "./actions-section";

type Outcome =
  | { ok: true; output: unknown; correlationId: string }
  | { ok: false; message: string; code?: string; correlationId?: string };

/** Runs one action for real with a form built from its input schema, and shows what came back. */
export function TryActionDialog({
  orgId,
  action,
  onOpenChange,
}: {
  orgId: Id<"organizations">;
  action: OrgActionSpec;
  onOpenChange: (open: boolean) => void;
}) {
  const run = useAction(api.providerActions.tryIt.run);
  const fields = useMemo(() => formFields(JSON.parse(action.inputSchemaJson)), [action.inputSchemaJson]);
  const [values, setValues] = useState<FormValues>(() =>
    Object.fromEntries(
      fields.flatMap((f) => (f.defaultValue === undefined ? [] : [[f.name, f.kind === "boolean" ? f.defaultValue === "true" : f.defaultValue]])),
    ),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const read = formInput(fields, values);
    if (!read.ok) {
      setErrors(read.fields);
      setOutcome(null);
      return;
    }
    setBusy(true);
    setErrors({});
    setOutcome(null);
    try {
      const result = await run({ orgId, actionId: action.id, input: read.input });
      if (result.ok) setOutcome({ ok: true, output: result.output, correlationId: result.correlationId });
      else {
        setErrors(result.error.fields ?? {});
        setOutcome({ ok: false, message: result.error.message, code: result.error.code, correlationId: result.correlationId });
      }
    } catch (error) {
      setOutcome({ ok: false, message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  const unplaced = Object.entries(errors).filter(([name]) => !fields.some((f) => f.name === name));
  return (
    <Dialog open onOpenChange={(open) => !busy && onOpenChange(open)}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <form onSubmit={onSubmit} className="grid gap-4" noValidate aria-label={action.title}>
          <DialogHeader>
            <DialogTitle>{action.title}</DialogTitle>
            <DialogDescription>
              {action.description} This runs for real, as you, and is logged like any call.
            </DialogDescription>
          </DialogHeader>
          <ActionFields
            orgId={orgId}
            idPrefix={`try-${action.id.replace(/[^a-z0-9]/gi, "-")}`}
            fields={fields}
            values={values}
            errors={errors}
            onChange={(name, value) => setValues((current) => ({ ...current, [name]: value }))}
          />
          {unplaced.length > 0 && (
            <ul className="text-destructive list-disc pl-5 text-sm">
              {unplaced.map(([name, message]) => (
                <li key={name}>
                  <code>{name}</code>: {message}
                </li>
              ))}
            </ul>
          )}
          {outcome && !outcome.ok && (
            <p role="alert" className="text-destructive text-sm" data-testid="action-error">
              {outcome.message}
              {outcome.correlationId && outcome.correlationId !== "none" && (
                <span className="text-muted-foreground"> (reference {outcome.correlationId})</span>
              )}
            </p>
          )}
          {outcome?.ok && (
            <section aria-label="Result" className="grid gap-2 rounded-md border p-3" data-testid="action-result">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <Badge variant="success">Done</Badge>
                <span className="text-muted-foreground">
                  Correlation id <code data-testid="correlation-id">{outcome.correlationId}</code>
                </span>
              </div>
              <CodeBlock className="max-h-72">{JSON.stringify(outcome.output, null, 2)}</CodeBlock>
            </section>
          )}
          <DialogFooter>
            <Button type="button" variant="ghost" disabled={busy} onClick={() => onOpenChange(false)}>
              Close
            </Button>
            <Button type="submit" variant={action.effect === "destructive" ? "destructive" : "default"} disabled={busy} aria-busy={busy}>
              {busy ? "Running…" : "Run"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
