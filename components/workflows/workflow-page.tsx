"use client";

import { useAction, useMutation, useQuery } from "convex/react";
import { ChevronLeftIcon, PlusIcon, XIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { cloneElement, useEffect, useMemo, useState, type AriaAttributes, type FormEvent, type ReactElement } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { useCurrentOrg } from "@/components/shell/org-context";
import { useConfirm } from "@/components/shell/confirm-dialog";
import { CodeBlock } from "@/components/ui/code-block";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Skeleton } from "@/components/ui/skeleton";
import { Textarea } from "@/components/ui/textarea";
import { errorData, errorMessage } from "@/lib/error-messages";
import { hasRole } from "@/lib/roles";
import { describeTrigger } from "@/lib/workflows/describe";
import {
  emptyDraft,
  fromDefinition,
  newFilter,
  newStep,
  referencesFor,
  stepInputErrors,
  toDefinition,
  triggerInputPath,
  type Draft,
  type EditorAction,
  type FilterDraft,
  type StepDraft,
  type WorkflowDefinition,
} from "@/lib/workflows/draft";
import { EVENT_FILTERS_MAX } from "@/lib/workflows/event-trigger";
import { RunsSection } from "./runs-section";
import { StepEditor } from "./step-editor";

/** The editable definition of a workflow as `definitions.get` presents it. */
function definitionOf(saved: { name: string; description: string | null; trigger: WorkflowDefinition["trigger"]; steps: WorkflowDefinition["steps"] }): WorkflowDefinition {
  return {
    name: saved.name,
    ...(saved.description ? { description: saved.description } : {}),
    trigger: saved.trigger,
    steps: saved.steps.map(({ key, name, actionId, input, retry }) => ({ key, name, actionId, input, retry })),
  };
}

type StepTest = { stepKey: string; ok: boolean; text: string; correlationId?: string };

/** `/o/[slug]/settings/workflows/new` and `/o/[slug]/settings/workflows/[id]`: the editor (admins) or the definition (members), and its runs. */
export function WorkflowPage({ workflowId }: { workflowId?: Id<"workflows"> }) {
  const org = useCurrentOrg();
  const router = useRouter();
  const canEdit = hasRole(org.role, "admin");
  const saved = useQuery(api.workflows.definitions.get, workflowId ? { orgId: org.orgId, workflowId } : "skip");
  const available = useQuery(api.providerActions.catalog.available, { orgId: org.orgId });
  const create = useMutation(api.workflows.definitions.create);
  const update = useMutation(api.workflows.definitions.update);
  const remove = useMutation(api.workflows.definitions.remove);
  const setEnabled = useMutation(api.workflows.definitions.setEnabled);
  const start = useMutation(api.workflows.runs.start);
  const testStep = useAction(api.workflows.runs.testStep);
  const { confirm, dialog } = useConfirm();

  const actions = useMemo(() => new Map<string, EditorAction>((available ?? []).map((a) => [a.id, a])), [available]);
  const [draft, setDraft] = useState<Draft | null>(workflowId ? null : emptyDraft());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState<"save" | "run" | null>(null);
  const [tested, setTested] = useState<StepTest | null>(null);
  const [testing, setTesting] = useState<string | null>(null);

  // The saved definition becomes the draft once, when both it and the action list are here.
  useEffect(() => {
    if (draft === null && saved && available) setDraft(fromDefinition(definitionOf(saved), actions));
  }, [draft, saved, available, actions]);

  const back = (
    <Link href={`/o/${org.slug}/settings/workflows`} className="text-muted-foreground inline-flex items-center gap-1 text-sm hover:underline">
      <ChevronLeftIcon className="size-4" /> Workflows
    </Link>
  );
  if (saved === null) {
    return (
      <div className="grid gap-4">
        {back}
        <p>This workflow does not exist (it may have been deleted).</p>
      </div>
    );
  }
  if (draft === null || available === undefined) {
    return (
      <div className="grid gap-4" aria-busy="true">
        {back}
        <Skeleton className="h-24" />
        <Skeleton className="h-64" />
      </div>
    );
  }
  const operations = available.filter((a) => a.kind === "operation");
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const setStep = (index: number, step: StepDraft) => set({ steps: draft.steps.map((s, i) => (i === index ? step : s)) });

  function built() {
    const result = toDefinition(draft!, actions);
    if (!result.ok) {
      setErrors(result.fields);
      setBanner("Some fields need attention.");
      return null;
    }
    return result.definition;
  }

  async function onSave(event: FormEvent) {
    event.preventDefault();
    const definition = built();
    if (!definition) return;
    setBusy("save");
    setErrors({});
    setBanner(null);
    try {
      if (workflowId) {
        await update({ orgId: org.orgId, workflowId, definition });
        toast.success("Workflow saved.");
      } else {
        const id = await create({ orgId: org.orgId, definition });
        toast.success("Workflow created.");
        router.replace(`/o/${org.slug}/settings/workflows/${id}`);
      }
    } catch (error) {
      const data = errorData(error) as { message?: string; fields?: Record<string, string> } | undefined;
      setErrors(data?.fields ?? {});
      setBanner(data?.message ?? errorMessage(error));
    } finally {
      setBusy(null);
    }
  }

  async function onRun() {
    if (!workflowId) return;
    setBusy("run");
    try {
      await start({ orgId: org.orgId, workflowId });
      toast.success("Run started.");
    } catch (error) {
      toast.error(errorMessage(error));
    } finally {
      setBusy(null);
    }
  }

  async function onTest(step: StepDraft) {
    if (!workflowId) {
      setTested({ stepKey: step.key, ok: false, text: "Save the workflow first: a test uses its sample input and its last run." });
      return;
    }
    const definition = built();
    if (!definition) return;
    setTesting(step.key);
    setTested(null);
    try {
      const result = await testStep({ orgId: org.orgId, workflowId, stepKey: step.key, definition });
      setTested(
        result.ok
          ? { stepKey: step.key, ok: true, text: JSON.stringify(result.output, null, 2), correlationId: result.correlationId }
          : { stepKey: step.key, ok: false, text: result.error.message, correlationId: result.correlationId },
      );
    } catch (error) {
      setTested({ stepKey: step.key, ok: false, text: errorMessage(error) });
    } finally {
      setTesting(null);
    }
  }

  const readOnly = !canEdit;
  const triggerPath = triggerInputPath(draft.triggerKind);
  return (
    <div className="grid gap-6">
      {back}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">{workflowId ? draft.name || "Workflow" : "New workflow"}</h1>
          {saved && (
            <p className="text-muted-foreground text-sm" data-testid="trigger-summary">
              {describeTrigger(saved.trigger)}
              {saved.trigger.kind !== "manual" && !saved.enabled ? " (paused)" : ""}
            </p>
          )}
        </div>
        {canEdit && workflowId && saved && (
          <div className="flex flex-wrap gap-2">
            {saved.trigger.kind !== "manual" && (
              <Button variant="outline" size="sm" onClick={() => void setEnabled({ orgId: org.orgId, workflowId, enabled: !saved.enabled })}>
                {saved.trigger.kind === "schedule"
                  ? saved.enabled
                    ? "Pause schedule"
                    : "Resume schedule"
                  : saved.enabled
                    ? "Pause event trigger"
                    : "Resume event trigger"}
              </Button>
            )}
            <Button size="sm" disabled={busy !== null} onClick={() => void onRun()}>
              {busy === "run" ? "Starting…" : "Run now"}
            </Button>
            <Button
              size="sm"
              variant="ghost"
              onClick={() =>
                confirm({
                  title: `Delete ${saved.name}?`,
                  description: "The workflow, its schedule and its run history are deleted; a run under way stops.",
                  confirmLabel: "Delete workflow",
                  busyLabel: "Deleting…",
                  onConfirm: async () => {
                    await remove({ orgId: org.orgId, workflowId });
                    toast.success("Workflow deleted.");
                    router.replace(`/o/${org.slug}/settings/workflows`);
                  },
                })
              }
            >
              Delete
            </Button>
          </div>
        )}
      </div>
      {!canEdit && <p className="text-muted-foreground text-sm">Only owners and admins edit and run workflows.</p>}

      <form onSubmit={onSave} className="grid gap-6" noValidate aria-label="Workflow">
        <Card>
          <CardHeader>
            <CardTitle>Workflow</CardTitle>
          </CardHeader>
          <CardContent>
            <fieldset disabled={readOnly} className="grid gap-4">
              <Field id="wf-name" label="Name" error={errors.name}>
                <Input id="wf-name" value={draft.name} onChange={(e) => set({ name: e.target.value })} />
              </Field>
              <Field id="wf-description" label="Description (optional)" error={errors.description}>
                <Input id="wf-description" value={draft.description} onChange={(e) => set({ description: e.target.value })} />
              </Field>
              <div className="grid gap-4 sm:grid-cols-2">
                <Field id="wf-trigger" label="Trigger">
                  <NativeSelect id="wf-trigger" value={draft.triggerKind} onChange={(e) => set({ triggerKind: e.target.value as Draft["triggerKind"] })}>
                    <option value="manual">Manual (Run now, the API)</option>
                    <option value="schedule">On a schedule</option>
                    <option value="event">When an event arrives</option>
                  </NativeSelect>
                </Field>
                {draft.triggerKind === "schedule" && (
                  <Field id="wf-every" label="Every (minutes, 5 to 10080)" error={errors["trigger.everyMinutes"]}>
                    <Input id="wf-every" inputMode="numeric" value={draft.everyMinutes} onChange={(e) => set({ everyMinutes: e.target.value })} />
                  </Field>
                )}
                {draft.triggerKind === "event" && (
                  <Field
                    id="wf-event-type"
                    label="Event type"
                    error={errors["trigger.eventType"]}
                    hint="An exact type, like github.issues.opened, slack.message, linear.Issue.create or webhook.invoice.paid, or every type under a prefix: github.*, github.issues.*"
                  >
                    <Input id="wf-event-type" className="font-mono" placeholder="github.issues.opened" value={draft.eventType} onChange={(e) => set({ eventType: e.target.value })} />
                  </Field>
                )}
              </div>
              {draft.triggerKind === "event" && (
                <EventFilters filters={draft.filters} errors={errors} readOnly={readOnly} onChange={(filters) => set({ filters })} />
              )}
              {draft.triggerKind === "event" ? (
                <Field
                  id="wf-sample-event"
                  label="Sample event (JSON; Run now and Test step use it)"
                  error={errors[triggerPath]}
                  hint="A run gets { eventId, type, providerId, connectionId, receivedAt, payload }; steps read the payload as {{trigger.payload.issue.title}}."
                >
                  <Textarea id="wf-sample-event" className="font-mono" rows={8} value={draft.sampleEvent} onChange={(e) => set({ sampleEvent: e.target.value })} />
                </Field>
              ) : (
                <Field
                  id="wf-input"
                  label={draft.triggerKind === "manual" ? "Sample input (JSON; steps read it as {{trigger.name}})" : "Input of each scheduled run (JSON)"}
                  error={errors[triggerPath]}
                >
                  <Textarea id="wf-input" className="font-mono" value={draft.triggerInput} onChange={(e) => set({ triggerInput: e.target.value })} />
                </Field>
              )}
            </fieldset>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Steps</CardTitle>
            <CardDescription>Run in order; a step can use the trigger&apos;s input and every earlier step&apos;s output.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {errors.steps && <p className="text-destructive text-sm">{errors.steps}</p>}
            <ol className="grid gap-4">
              {draft.steps.map((step, index) => (
                <StepEditor
                  key={step.uid}
                  orgId={org.orgId}
                  index={index}
                  count={draft.steps.length}
                  step={step}
                  actions={available}
                  references={referencesFor(draft, index, actions)}
                  errors={errors}
                  inputErrors={stepInputErrors(errors, index)}
                  readOnly={readOnly}
                  testing={testing === step.key}
                  onChange={(next) => setStep(index, next)}
                  onMove={(delta) => {
                    const steps = [...draft.steps];
                    [steps[index], steps[index + delta]] = [steps[index + delta]!, steps[index]!];
                    set({ steps });
                  }}
                  onRemove={() => set({ steps: draft.steps.filter((_, i) => i !== index) })}
                  onTest={() => void onTest(step)}
                />
              ))}
            </ol>
            {tested && (
              <section aria-label="Step test result" className="grid gap-2 rounded-md border p-3 text-sm" data-testid="step-test">
                <p className={tested.ok ? "font-medium" : "text-destructive"}>
                  {tested.ok ? `Step ${tested.stepKey} ran.` : `Step ${tested.stepKey}: ${tested.text}`}
                  {tested.correlationId && <span className="text-muted-foreground"> Reference {tested.correlationId}.</span>}
                </p>
                {tested.ok && <CodeBlock className="max-h-60">{tested.text}</CodeBlock>}
              </section>
            )}
            {canEdit &&
              (operations.length === 0 ? (
                <p className="text-muted-foreground text-sm">
                  Connect an integration first: its actions become steps here.{" "}
                  <Link className="underline" href={`/o/${org.slug}/settings/integrations`}>
                    Integrations
                  </Link>
                </p>
              ) : (
                <AddStep actions={operations} onAdd={(action) => set({ steps: [...draft.steps, newStep(action, draft.steps.map((s) => s.key))] })} />
              ))}
          </CardContent>
        </Card>

        {banner && (
          <p role="alert" className="text-destructive text-sm">
            {banner}
          </p>
        )}
        {canEdit && (
          <div className="flex justify-end">
            <Button type="submit" disabled={busy !== null} aria-busy={busy === "save"}>
              {busy === "save" ? "Saving…" : workflowId ? "Save workflow" : "Create workflow"}
            </Button>
          </div>
        )}
      </form>

      {workflowId && saved && <RunsSection workflowId={saved.id} />}
      {dialog}
    </div>
  );
}

function AddStep({ actions, onAdd }: { actions: EditorAction[]; onAdd: (action: EditorAction) => void }) {
  const [choice, setChoice] = useState(actions[0]!.id);
  return (
    <div className="flex flex-wrap items-end gap-2">
      <div className="grid min-w-0 flex-1 gap-2">
        <Label htmlFor="wf-add-step">Add a step</Label>
        <NativeSelect id="wf-add-step" value={choice} onChange={(e) => setChoice(e.target.value)}>
          {actions.map((a) => (
            <option key={a.id} value={a.id}>
              {a.providerId}: {a.title}
            </option>
          ))}
        </NativeSelect>
      </div>
      <Button type="button" variant="outline" onClick={() => onAdd(actions.find((a) => a.id === choice)!)}>
        Add step
      </Button>
    </div>
  );
}

/**
 * The event trigger's filters: rows of a payload path and the value it must have, all of
 * which must match. Their errors come at `trigger.filters.<i>.path` / `.equals`.
 */
function EventFilters({
  filters,
  errors,
  readOnly,
  onChange,
}: {
  filters: FilterDraft[];
  errors: Record<string, string>;
  readOnly: boolean;
  onChange: (filters: FilterDraft[]) => void;
}) {
  const setFilter = (index: number, patch: Partial<FilterDraft>) => onChange(filters.map((f, i) => (i === index ? { ...f, ...patch } : f)));
  return (
    <fieldset className="grid gap-3" aria-describedby="wf-filters-hint">
      <legend className="text-sm font-medium">Filters (optional; all must match)</legend>
      <p id="wf-filters-hint" className="text-muted-foreground text-xs">
        A path into the event&apos;s payload (issue.state, issue.labels.0.name) and the value it must be: text as typed, or a number, true, false
        or null; quote a number to mean text (&quot;42&quot;).
      </p>
      {errors["trigger.filters"] && <p className="text-destructive text-sm">{errors["trigger.filters"]}</p>}
      {filters.length > 0 && (
        <ol className="grid gap-3" aria-label="Filters">
          {filters.map((filter, index) => (
            <li key={filter.uid} className="grid items-start gap-2 sm:grid-cols-[1fr_1fr_auto]">
              <Field id={`wf-filter-${index}-path`} label={`Filter ${index + 1}: path`} error={errors[`trigger.filters.${index}.path`]}>
                <Input
                  id={`wf-filter-${index}-path`}
                  className="font-mono"
                  placeholder="issue.state"
                  value={filter.path}
                  onChange={(e) => setFilter(index, { path: e.target.value })}
                />
              </Field>
              <Field id={`wf-filter-${index}-value`} label={`Filter ${index + 1}: equals`} error={errors[`trigger.filters.${index}.equals`]}>
                <Input
                  id={`wf-filter-${index}-value`}
                  className="font-mono"
                  placeholder="open"
                  value={filter.value}
                  onChange={(e) => setFilter(index, { value: e.target.value })}
                />
              </Field>
              {!readOnly && (
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  className="sm:mt-7"
                  aria-label={`Remove filter ${index + 1}`}
                  onClick={() => onChange(filters.filter((_, i) => i !== index))}
                >
                  <XIcon className="size-4" />
                </Button>
              )}
            </li>
          ))}
        </ol>
      )}
      {!readOnly && filters.length < EVENT_FILTERS_MAX && (
        <div>
          <Button type="button" variant="outline" size="sm" onClick={() => onChange([...filters, newFilter()])}>
            <PlusIcon className="size-4" /> Add filter
          </Button>
        </div>
      )}
    </fieldset>
  );
}

/** A labelled control whose hint and error, when there are, describe it; an error marks it invalid. */
function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: string; children: ReactElement<AriaAttributes> }) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      {cloneElement(children, { "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <p id={`${id}-hint`} className="text-muted-foreground text-xs">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-destructive text-sm">
          {error}
        </p>
      )}
    </div>
  );
}
