"use client";

import { useAction, useMutation, useQuery } from "convex/react";
import { ChevronLeftIcon } from "lucide-react";
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
import {
  emptyDraft,
  fromDefinition,
  newStep,
  referencesFor,
  stepInputErrors,
  toDefinition,
  type Draft,
  type EditorAction,
  type StepDraft,
  type WorkflowDefinition,
} from "@/lib/workflows/draft";
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
  const triggerPath = draft.triggerKind === "manual" ? "trigger.sampleInput" : "trigger.input";
  return (
    <div className="grid gap-6">
      {back}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <h1 className="text-2xl font-semibold tracking-tight">{workflowId ? draft.name || "Workflow" : "New workflow"}</h1>
        {canEdit && workflowId && saved && (
          <div className="flex flex-wrap gap-2">
            {saved.trigger.kind === "schedule" && (
              <Button variant="outline" size="sm" onClick={() => void setEnabled({ orgId: org.orgId, workflowId, enabled: !saved.enabled })}>
                {saved.enabled ? "Pause schedule" : "Resume schedule"}
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
                  </NativeSelect>
                </Field>
                {draft.triggerKind === "schedule" && (
                  <Field id="wf-every" label="Every (minutes, 5 to 10080)" error={errors["trigger.everyMinutes"]}>
                    <Input id="wf-every" inputMode="numeric" value={draft.everyMinutes} onChange={(e) => set({ everyMinutes: e.target.value })} />
                  </Field>
                )}
              </div>
              <Field
                id="wf-input"
                label={draft.triggerKind === "manual" ? "Sample input (JSON; steps read it as {{trigger.name}})" : "Input of each scheduled run (JSON)"}
                error={errors[triggerPath]}
              >
                <Textarea id="wf-input" className="font-mono" value={draft.triggerInput} onChange={(e) => set({ triggerInput: e.target.value })} aria-invalid={errors[triggerPath] ? true : undefined} aria-describedby={errors[triggerPath] ? "wf-input-error" : undefined} />
              </Field>
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

/** A labelled control whose error, when there is one, marks it invalid and describes it. */
function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactElement<AriaAttributes> }) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      {cloneElement(children, { "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : undefined })}
      {error && (
        <p id={`${id}-error`} className="text-destructive text-sm">
          {error}
        </p>
      )}
    </div>
  );
}
