"use client";

import { useAction } from "convex/react";
import { useEffect, useState } from "react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { errorMessage } from "@/lib/error-messages";
import { lookupInput, missingLookupParams, type FormField, type FormValues } from "@/lib/actions/form";

/** The controls of an action's input form, built from its JSON Schema (lib/actions/form.ts). */
export function ActionFields({
  orgId,
  idPrefix,
  fields,
  values,
  errors,
  onChange,
}: {
  orgId: Id<"organizations">;
  idPrefix: string;
  fields: FormField[];
  values: FormValues;
  errors: Record<string, string>;
  onChange: (name: string, value: string | boolean) => void;
}) {
  return (
    <div className="grid gap-4">
      {fields.map((field) => (
        <ActionField
          key={field.name}
          orgId={orgId}
          id={`${idPrefix}-${field.name}`}
          field={field}
          values={values}
          error={errors[field.name] ?? null}
          onChange={(value) => onChange(field.name, value)}
        />
      ))}
    </div>
  );
}

function ActionField({
  orgId,
  id,
  field,
  values,
  error,
  onChange,
}: {
  orgId: Id<"organizations">;
  id: string;
  field: FormField;
  values: FormValues;
  error: string | null;
  onChange: (value: string | boolean) => void;
}) {
  const value = values[field.name];
  const describedBy = [field.help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  const common = {
    id,
    name: field.name,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy || undefined,
    "aria-required": field.required || undefined,
  };
  const text = typeof value === "string" ? value : "";
  let control;
  if (field.kind === "boolean") {
    return (
      <div className="grid gap-1">
        <label className="flex items-center gap-2 text-sm font-medium" htmlFor={id}>
          <input {...common} type="checkbox" className="size-4" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          {field.label}
        </label>
        <FieldNotes id={id} field={field} error={error} />
      </div>
    );
  }
  if (field.lookup) {
    control = <LookupSelect orgId={orgId} field={field} values={values} value={text} onChange={onChange} common={common} />;
  } else if (field.kind === "select") {
    control = (
      <NativeSelect {...common} value={text} onChange={(e) => onChange(e.target.value)}>
        {!field.required && <option value="">—</option>}
        {field.options!.map((option) => (
          <option key={option}>{option}</option>
        ))}
      </NativeSelect>
    );
  } else if (field.kind === "textarea" || field.kind === "json") {
    control = (
      <Textarea
        {...common}
        value={text}
        placeholder={field.example}
        className={field.kind === "json" ? "font-mono" : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else {
    control = (
      <Input
        {...common}
        value={text}
        inputMode={field.kind === "number" ? "decimal" : undefined}
        placeholder={field.example ?? field.defaultValue}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>
        {field.label}
        {!field.required && <span className="text-muted-foreground font-normal">(optional)</span>}
      </Label>
      {control}
      <FieldNotes id={id} field={field} error={error} />
    </div>
  );
}

function FieldNotes({ id, field, error }: { id: string; field: FormField; error: string | null }) {
  return (
    <>
      {field.help && (
        <p id={`${id}-help`} className="text-muted-foreground text-xs">
          {field.help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-destructive text-sm">
          {error}
        </p>
      )}
    </>
  );
}

type Option = { value: string; label: string; hint?: string };
type LookupState =
  | { kind: "waiting"; for: string[] }
  | { kind: "loading" }
  | { kind: "loaded"; options: Option[]; nextCursor?: string; loadingMore?: boolean }
  | { kind: "failed"; message: string };

/**
 * A dropdown filled by the field's lookup action, a page at a time ("Load more"); when the
 * lookup cannot run (a missing scope, an outage) the field takes a typed id instead.
 */
function LookupSelect({
  orgId,
  field,
  values,
  value,
  onChange,
  common,
}: {
  orgId: Id<"organizations">;
  field: FormField;
  values: FormValues;
  value: string;
  onChange: (value: string) => void;
  common: Record<string, unknown>;
}) {
  const lookup = useAction(api.providerActions.tryIt.lookup);
  const ref = field.lookup!;
  const waitingFor = missingLookupParams(ref, values);
  // The lookup reruns only when a param it reads changes.
  const paramsKey = JSON.stringify(lookupInput(ref, values));
  const [state, setState] = useState<LookupState>({ kind: "loading" });

  useEffect(() => {
    if (waitingFor.length > 0) {
      setState({ kind: "waiting", for: waitingFor });
      return;
    }
    let cancelled = false;
    setState({ kind: "loading" });
    lookup({ orgId, actionId: ref.action, input: JSON.parse(paramsKey) })
      .then((result) => {
        if (cancelled) return;
        if (result.ok) setState({ kind: "loaded", options: result.output.options, nextCursor: result.output.nextCursor });
        else setState({ kind: "failed", message: result.error.message });
      })
      .catch((error: unknown) => !cancelled && setState({ kind: "failed", message: errorMessage(error) }));
    return () => {
      cancelled = true;
    };
    // waitingFor is derived from paramsKey's inputs; paramsKey is the dependency.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [orgId, ref.action, paramsKey, waitingFor.length]);

  async function loadMore() {
    if (state.kind !== "loaded" || !state.nextCursor) return;
    setState({ ...state, loadingMore: true });
    try {
      const result = await lookup({ orgId, actionId: ref.action, input: lookupInput(ref, values, state.nextCursor) });
      if (result.ok) {
        setState({ kind: "loaded", options: [...state.options, ...result.output.options], nextCursor: result.output.nextCursor });
      } else setState({ kind: "failed", message: result.error.message });
    } catch (error) {
      setState({ kind: "failed", message: errorMessage(error) });
    }
  }

  if (state.kind !== "loaded") {
    const note =
      state.kind === "waiting"
        ? `Choose ${state.for.join(" and ")} first, or type an id.`
        : state.kind === "loading"
          ? "Loading choices…"
          : `Choices could not be loaded (${state.message}); type an id.`;
    return (
      <div className="grid gap-1">
        <Input {...common} value={value} placeholder={field.example} onChange={(e) => onChange(e.target.value)} />
        <p className="text-muted-foreground text-xs" aria-live="polite">
          {note}
        </p>
      </div>
    );
  }
  const known = state.options.some((option) => option.value === value);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <NativeSelect {...common} value={value} onChange={(e) => onChange(e.target.value)} className="min-w-0 flex-1">
        <option value="">{field.required ? "Choose…" : "—"}</option>
        {!known && value !== "" && <option value={value}>{value}</option>}
        {state.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.hint ? `${option.label} — ${option.hint}` : option.label}
          </option>
        ))}
      </NativeSelect>
      {state.nextCursor && (
        <Button type="button" size="sm" variant="outline" disabled={state.loadingMore} onClick={() => void loadMore()}>
          {state.loadingMore ? "Loading…" : "Load more"}
        </Button>
      )}
    </div>
  );
}
