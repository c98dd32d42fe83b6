"use client";

import { useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { errorMessage } from "@/lib/error-messages";

/**
 * One text setting with its own Save button: the current value to start with, a hint,
 * and the server's error under the field (tied to it for screen readers).
 */
export function SettingForm({
  label,
  value,
  hint,
  prefix,
  maxLength,
  submitLabel,
  busyLabel,
  check,
  onSave,
}: {
  label: string;
  value: string;
  hint: ReactNode;
  /** Shown before the field, such as the `/o/` of an address. */
  prefix?: string;
  maxLength: number;
  submitLabel: string;
  busyLabel: string;
  /** The same rule the server applies, checked first so a plain mistake needs no round trip. */
  check: (value: string) => { ok: true } | { ok: false; message: string };
  onSave: (value: string) => Promise<void>;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Someone else (another owner, another tab) changed it: show the new value.
  useEffect(() => setDraft(value), [value]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = check(draft);
    if (!checked.ok) return setError(checked.message);
    setBusy(true);
    setError(null);
    try {
      await onSave(draft);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const described = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <form onSubmit={onSubmit} className="grid gap-2" noValidate>
      <Label htmlFor={`${id}-input`}>{label}</Label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <div className="flex min-w-0 flex-1 items-center gap-1">
          {prefix && <span className="text-muted-foreground shrink-0 font-mono text-sm">{prefix}</span>}
          <Input
            id={`${id}-input`}
            value={draft}
            maxLength={maxLength}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setDraft(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={described}
          />
        </div>
        <Button type="submit" disabled={busy || draft.trim() === value}>
          {busy ? busyLabel : submitLabel}
        </Button>
      </div>
      <p id={`${id}-hint`} className="text-muted-foreground text-sm">
        {hint}
      </p>
      {error && (
        <p id={`${id}-error`} className="text-destructive text-sm">
          {error}
        </p>
      )}
    </form>
  );
}
