"use client";

import { useMemo } from "react";
import type { Id } from "@/convex/_generated/dataModel";
import { ActionFields } from "@/components/actions/action-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { formFields } from "@/lib/actions/form";
import type { EditorAction, StepDraft } from "@/lib/workflows/draft";

/** One step of the editor: its action, its input form (values may be templates), its retry policy. */
export function StepEditor({
  orgId,
  index,
  count,
  step,
  actions,
  references,
  errors,
  inputErrors,
  readOnly,
  testing,
  onChange,
  onMove,
  onRemove,
  onTest,
}: {
  orgId: Id<"organizations">;
  index: number;
  count: number;
  step: StepDraft;
  actions: EditorAction[];
  references: string[];
  errors: Record<string, string>;
  inputErrors: Record<string, string>;
  readOnly: boolean;
  testing: boolean;
  onChange: (step: StepDraft) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
  onTest: () => void;
}) {
  const action = actions.find((a) => a.id === step.actionId);
  const fields = useMemo(() => (action ? formFields(JSON.parse(action.inputSchemaJson)) : []), [action]);
  const providers = [...new Set(actions.map((a) => a.providerId))];
  const id = `step-${step.uid}`;
  const error = (path: string) => errors[`steps.${index}.${path}`];
  const insert = (ref: string) => {
    // Into the first empty text field, else appended to the last field.
    const target = fields.find((f) => f.kind !== "boolean" && !step.values[f.name]) ?? fields.filter((f) => f.kind !== "boolean").at(-1);
    if (!target) return;
    const current = typeof step.values[target.name] === "string" ? (step.values[target.name] as string) : "";
    onChange({ ...step, values: { ...step.values, [target.name]: `${current}{{${ref}}}` } });
  };
  return (
    <li className="grid gap-4 rounded-lg border p-4" aria-label={`Step ${index + 1}: ${step.name || step.key}`} data-step-key={step.key}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-medium">
          Step {index + 1} <span className="text-muted-foreground font-normal">· {step.name || "New step"}</span>
        </h3>
        {!readOnly && (
          <div className="flex gap-1">
            <Button type="button" size="sm" variant="ghost" disabled={index === 0} onClick={() => onMove(-1)} aria-label={`Move step ${index + 1} up`}>
              ↑
            </Button>
            <Button type="button" size="sm" variant="ghost" disabled={index === count - 1} onClick={() => onMove(1)} aria-label={`Move step ${index + 1} down`}>
              ↓
            </Button>
            <Button type="button" size="sm" variant="outline" disabled={testing || !action} onClick={onTest}>
              {testing ? "Testing…" : "Test step"}
            </Button>
            <Button type="button" size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove step ${index + 1}`}>
              Remove
            </Button>
          </div>
        )}
      </div>
      <fieldset disabled={readOnly} className="grid gap-4">
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="grid gap-2">
            <Label htmlFor={`${id}-provider`}>Connection</Label>
            <NativeSelect
              id={`${id}-provider`}
              value={step.providerId}
              onChange={(e) => {
                const first = actions.find((a) => a.providerId === e.target.value && a.kind === "operation");
                if (first) onChange({ ...step, providerId: first.providerId, actionId: first.id, name: first.title, values: {} });
              }}
            >
              {!providers.includes(step.providerId) && <option value={step.providerId}>{step.providerId} (not connected)</option>}
              {providers.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`${id}-action`}>Action</Label>
            <NativeSelect
              id={`${id}-action`}
              value={step.actionId}
              aria-invalid={error("actionId") ? true : undefined}
              aria-describedby={error("actionId") ? `${id}-action-error` : undefined}
              onChange={(e) => {
                const next = actions.find((a) => a.id === e.target.value)!;
                onChange({ ...step, actionId: next.id, name: next.title, values: {} });
              }}
            >
              {!action && <option value={step.actionId}>{step.actionId}</option>}
              {actions
                .filter((a) => a.providerId === step.providerId && a.kind === "operation")
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.title}
                  </option>
                ))}
            </NativeSelect>
            {error("actionId") && (
              <p id={`${id}-action-error`} className="text-destructive text-sm">
                {error("actionId")}
              </p>
            )}
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`${id}-name`}>Step name</Label>
            <Input id={`${id}-name`} value={step.name} onChange={(e) => onChange({ ...step, name: e.target.value })} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`${id}-key`}>Key (later steps write {"{{steps."}{step.key || "key"}{".output…}}"})</Label>
            <Input
              id={`${id}-key`}
              value={step.key}
              className="font-mono"
              aria-invalid={error("key") ? true : undefined}
              aria-describedby={error("key") ? `${id}-key-error` : undefined}
              onChange={(e) => onChange({ ...step, key: e.target.value, keyEdited: true })}
            />
            {error("key") && (
              <p id={`${id}-key-error`} className="text-destructive text-sm">
                {error("key")}
              </p>
            )}
          </div>
        </div>
        {references.length > 0 && !readOnly && (
          <div className="grid gap-1">
            <span className="text-muted-foreground text-xs">Insert a value from the trigger or an earlier step:</span>
            <div className="flex flex-wrap gap-1" aria-label={`References for step ${index + 1}`}>
              {references.slice(0, 30).map((ref) => (
                <Button key={ref} type="button" size="sm" variant="secondary" className="h-7 font-mono text-xs" onClick={() => insert(ref)}>
                  {ref}
                </Button>
              ))}
            </div>
          </div>
        )}
        {action ? (
          <ActionFields
            orgId={orgId}
            idPrefix={id}
            fields={fields}
            values={step.values}
            errors={inputErrors}
            onChange={(name, value) => onChange({ ...step, values: { ...step.values, [name]: value } })}
          />
        ) : (
          <p className="text-destructive text-sm">This step&apos;s provider is not connected; its input is kept as saved.</p>
        )}
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="grid gap-2">
            <Label htmlFor={`${id}-attempts`}>Attempts (retryable errors only)</Label>
            <Input
              id={`${id}-attempts`}
              inputMode="numeric"
              value={step.maxAttempts}
              aria-invalid={error("retry.maxAttempts") ? true : undefined}
              aria-describedby={error("retry.maxAttempts") ? `${id}-attempts-error` : undefined}
              onChange={(e) => onChange({ ...step, maxAttempts: e.target.value })}
            />
            {error("retry.maxAttempts") && (
              <p id={`${id}-attempts-error`} className="text-destructive text-sm">
                {error("retry.maxAttempts")}
              </p>
            )}
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`${id}-delay`}>First retry after (seconds; then doubling)</Label>
            <Input
              id={`${id}-delay`}
              inputMode="decimal"
              value={step.initialDelaySeconds}
              aria-invalid={error("retry.initialDelayMs") ? true : undefined}
              aria-describedby={error("retry.initialDelayMs") ? `${id}-delay-error` : undefined}
              onChange={(e) => onChange({ ...step, initialDelaySeconds: e.target.value })}
            />
            {error("retry.initialDelayMs") && (
              <p id={`${id}-delay-error`} className="text-destructive text-sm">
                {error("retry.initialDelayMs")}
              </p>
            )}
          </div>
        </div>
      </fieldset>
    </li>
  );
}
