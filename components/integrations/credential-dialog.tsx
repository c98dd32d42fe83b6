"use client";

import { useAction } from "convex/react";
import { useState, type FormEvent } from "react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { usePublicConfig } from "@/components/app/public-config";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { checkCredentialForm, isFieldVisible, type FormProvider } from "@/lib/connect/credential-form";
import { errorData } from "@/lib/error-messages";
import type { CredentialField } from "@/lib/providers";

/**
 * The connect form of a credential provider, built from its catalog fields. Checks
 * locally first, then the server verifies against the provider; its errors land on
 * the field they are about.
 */
export function CredentialDialog({
  orgId,
  provider,
  open,
  onOpenChange,
  onConnected,
}: {
  orgId: Id<"organizations">;
  provider: FormProvider;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConnected: (accountName: string) => void;
}) {
  const connect = useAction(api.integrations.credentials.connect);
  const { simulatedProviders } = usePublicConfig();
  const [values, setValues] = useState<Record<string, string>>(() => defaults(provider.fields));
  const [fieldError, setFieldError] = useState<{ field: string | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    // The simulator serves every provider on a loopback address, so the form accepts
    // those and leaves the provider's own URL prefixes to the server.
    const checked = checkCredentialForm(provider, values, {
      allowLoopback: simulatedProviders,
      checkUrlPrefixes: !simulatedProviders,
    });
    if (!checked.ok) return setFieldError({ field: checked.field, message: checked.message });
    setBusy(true);
    setFieldError(null);
    try {
      const { accountName } = await connect({ orgId, providerId: provider.id, values });
      onConnected(accountName);
    } catch (error) {
      const data = errorData(error);
      setFieldError({ field: data?.field ?? null, message: data?.message ?? "Could not connect. Try again." });
    } finally {
      setBusy(false);
    }
  }

  const visible = provider.fields.filter((field) => isFieldVisible(field, values));
  return (
    <Dialog open={open} onOpenChange={(next) => !busy && onOpenChange(next)}>
      <DialogContent>
        <form onSubmit={onSubmit} className="grid gap-4" noValidate aria-label={`Connect ${provider.displayName}`}>
          <DialogHeader>
            <DialogTitle>Connect {provider.displayName}</DialogTitle>
            <DialogDescription>
              Switchboard checks these with {provider.displayName} before saving them, encrypted.
            </DialogDescription>
          </DialogHeader>
          {visible.map((field, index) => (
            <FieldInput
              key={field.name}
              field={field}
              value={values[field.name] ?? ""}
              autoFocus={index === 0}
              error={fieldError?.field === field.name ? fieldError.message : null}
              onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
            />
          ))}
          {fieldError && (fieldError.field === null || !visible.some((f) => f.name === fieldError.field)) && (
            <p role="alert" className="text-destructive text-sm">
              {fieldError.message}
            </p>
          )}
          <DialogFooter>
            <Button type="button" variant="ghost" disabled={busy} onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy} aria-busy={busy}>
              {busy ? "Verifying…" : "Connect"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function FieldInput({
  field,
  value,
  error,
  autoFocus,
  onChange,
}: {
  field: CredentialField;
  value: string;
  error: string | null;
  autoFocus: boolean;
  onChange: (value: string) => void;
}) {
  const id = `field-${field.name}`;
  const describedBy = [field.help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  const common = {
    id,
    name: field.name,
    value,
    autoFocus,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy || undefined,
  };
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>
        {field.label}
        {!field.required && <span className="text-muted-foreground font-normal">(optional)</span>}
      </Label>
      {field.type === "select" ? (
        <NativeSelect {...common} onChange={(e) => onChange(e.target.value)}>
          {field.options?.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </NativeSelect>
      ) : (
        <Input
          {...common}
          type={field.type === "password" ? "password" : field.type === "url" ? "url" : "text"}
          placeholder={field.placeholder}
          autoComplete={field.secret ? "off" : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {field.help && (
        <p id={`${id}-help`} className="text-muted-foreground text-xs">
          {field.help}{" "}
          {field.helpUrl && (
            <a href={field.helpUrl} target="_blank" rel="noreferrer" className="underline">
              Learn more
            </a>
          )}
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

function defaults(fields: CredentialField[]): Record<string, string> {
  return Object.fromEntries(
    fields.filter((f) => f.type === "select" && f.options?.length).map((f) => [f.name, f.options![0]!.value]),
  );
}
