"use client";

import { useAction } from "convex/react";
import { useState, type FormEvent } from "react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { CodeBlock } from "@/components/ui/code-block";
import { Badge } from "@/components/ui/badge";
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
import { Textarea } from "@/components/ui/textarea";
import { errorData } from "@/lib/error-messages";
import { parseTestRequestForm, prettyBody } from "@/lib/integrations/test-request-form";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] as const;

type Answer = { status: number; latencyMs: number; correlationId: string; body: string };
type FieldError = { field: string | null; message: string };

/**
 * Sends one request of the admin's choosing through the call pipeline, with the
 * connection's credential, and shows the answer and its correlation id.
 */
export function TestRequestDialog({
  orgId,
  providerId,
  providerName,
  defaultPath,
  open,
  onOpenChange,
}: {
  orgId: Id<"organizations">;
  providerId: string;
  providerName: string;
  defaultPath: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const send = useAction(api.calls.testRequest.send);
  const [form, setForm] = useState({ method: "GET", path: defaultPath, query: "", headers: "", body: "" });
  const [error, setError] = useState<FieldError | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [name]: value }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseTestRequestForm(form);
    if (!parsed.ok) return setError({ field: parsed.field, message: parsed.message });
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      const result = await send({
        orgId,
        providerId,
        method: form.method,
        path: form.path.trim(),
        query: parsed.query,
        headers: parsed.headers,
        ...(parsed.body !== undefined ? { body: parsed.body } : {}),
      });
      setAnswer(result);
    } catch (e) {
      const data = errorData(e);
      setError({ field: data?.field ?? null, message: data?.message ?? "The request could not be sent. Try again." });
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (name: string) =>
    error?.field === name ? (
      <p id={`test-${name}-error`} className="text-destructive text-sm">
        {error.message}
      </p>
    ) : null;
  const invalid = (name: string) =>
    error?.field === name ? { "aria-invalid": true, "aria-describedby": `test-${name}-error` } : {};

  return (
    <Dialog open={open} onOpenChange={(next) => !busy && onOpenChange(next)}>
      <DialogContent className="sm:max-w-2xl">
        <form onSubmit={onSubmit} className="grid gap-4" noValidate aria-label={`Test request to ${providerName}`}>
          <DialogHeader>
            <DialogTitle>Test request</DialogTitle>
            <DialogDescription>
              Sent to {providerName} with this connection&apos;s credential, and logged like any call.
            </DialogDescription>
          </DialogHeader>
          <div className="grid gap-2 sm:grid-cols-[8rem_1fr]">
            <div className="grid gap-2">
              <Label htmlFor="test-method">Method</Label>
              <NativeSelect id="test-method" value={form.method} onChange={(e) => set("method")(e.target.value)}>
                {METHODS.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </NativeSelect>
            </div>
            <div className="grid gap-2">
              <Label htmlFor="test-path">Path</Label>
              <Input id="test-path" value={form.path} onChange={(e) => set("path")(e.target.value)} className="font-mono" {...invalid("path")} />
            </div>
          </div>
          {fieldError("path")}
          {fieldError("method")}
          <div className="grid gap-2 sm:grid-cols-2">
            <div className="grid gap-2">
              <Label htmlFor="test-query">Query (name=value per line)</Label>
              <Textarea id="test-query" value={form.query} onChange={(e) => set("query")(e.target.value)} className="font-mono" {...invalid("query")} />
              {fieldError("query")}
            </div>
            <div className="grid gap-2">
              <Label htmlFor="test-headers">Headers (Name: value per line)</Label>
              <Textarea id="test-headers" value={form.headers} onChange={(e) => set("headers")(e.target.value)} className="font-mono" {...invalid("headers")} />
              {fieldError("headers")}
            </div>
          </div>
          <div className="grid gap-2">
            <Label htmlFor="test-body">JSON body</Label>
            <Textarea id="test-body" value={form.body} onChange={(e) => set("body")(e.target.value)} className="font-mono" {...invalid("body")} />
            {fieldError("body")}
          </div>
          {error && error.field === null && (
            <p role="alert" className="text-destructive text-sm">
              {error.message}
            </p>
          )}
          {answer && (
            <section aria-label="Answer" className="grid gap-2 rounded-md border p-3" data-testid="test-answer">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <Badge variant={answer.status < 400 ? "success" : "destructive"}>HTTP {answer.status}</Badge>
                <span className="text-muted-foreground">{answer.latencyMs} ms</span>
                <span className="text-muted-foreground">
                  Correlation id <code data-testid="correlation-id">{answer.correlationId}</code>
                </span>
              </div>
              <CodeBlock className="max-h-72">{prettyBody(answer.body) || "(empty body)"}</CodeBlock>
            </section>
          )}
          <DialogFooter>
            <Button type="button" variant="ghost" disabled={busy} onClick={() => onOpenChange(false)}>
              Close
            </Button>
            <Button type="submit" disabled={busy} aria-busy={busy}>
              {busy ? "Sending…" : "Send request"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
