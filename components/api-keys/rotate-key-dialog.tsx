"use client";

import { useAction } from "convex/react";
import { useState } from "react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { ROTATION_GRACE_DEFAULT_MS } from "@/lib/api-keys";
import { errorMessage } from "@/lib/error-messages";

const HOUR_MS = 60 * 60_000;
const GRACE_CHOICES = [
  { ms: 0, label: "Stop it now" },
  { ms: HOUR_MS, label: "1 hour" },
  { ms: ROTATION_GRACE_DEFAULT_MS, label: "24 hours" },
  { ms: 7 * 24 * HOUR_MS, label: "7 days" },
] as const;

/** Rotates a key: a new one with the same settings, the old one working for the chosen grace period. */
export function RotateKeyDialog({
  orgId,
  target,
  onClose,
  onRotated,
}: {
  orgId: Id<"organizations">;
  target: { id: string; name: string } | null;
  onClose: () => void;
  onRotated: (created: { name: string; key: string }) => void;
}) {
  const rotate = useAction(api.apiKeys.keys.rotate);
  const [grace, setGrace] = useState<number>(ROTATION_GRACE_DEFAULT_MS);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog open={target !== null} onOpenChange={(open) => !busy && !open && onClose()}>
      {target && (
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Rotate “{target.name}”?</DialogTitle>
            <DialogDescription>
              You get a new key with the same scopes and limits. The old key keeps working for the grace period, so you can deploy the new one first.
            </DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="rotate-grace">The old key keeps working for</Label>
            <NativeSelect
              id="rotate-grace"
              value={String(grace)}
              onChange={(e) => setGrace(Number(e.target.value))}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "rotate-grace-error" : undefined}
            >
              {GRACE_CHOICES.map((choice) => (
                <option key={choice.ms} value={choice.ms}>
                  {choice.label}
                </option>
              ))}
            </NativeSelect>
            {error && (
              <p id="rotate-grace-error" className="text-destructive text-sm">
                {error}
              </p>
            )}
          </div>
          <DialogFooter>
            <Button variant="ghost" disabled={busy} onClick={onClose}>
              Cancel
            </Button>
            <Button
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                setError(null);
                try {
                  const { key } = await rotate({ orgId, keyId: target.id, graceMs: grace });
                  onClose();
                  onRotated({ name: target.name, key });
                } catch (e) {
                  setError(errorMessage(e));
                } finally {
                  setBusy(false);
                }
              }}
            >
              {busy ? "Rotating…" : "Rotate key"}
            </Button>
          </DialogFooter>
        </DialogContent>
      )}
    </Dialog>
  );
}
