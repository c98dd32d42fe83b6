"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";

/**
 * Shows a signing secret the one time it exists outside the vault: after creating an
 * endpoint or rotating its secret. Closing the dialog is the last chance to copy it.
 */
export function SecretDialog({
  secret,
  title,
  description,
  onClose,
}: {
  secret: string | null;
  title: string;
  description: string;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog
      open={secret !== null}
      onOpenChange={(open) => {
        if (!open) {
          setCopied(false);
          onClose();
        }
      }}
    >
      {secret !== null && (
        <DialogContent>
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{description}</DialogDescription>
          </DialogHeader>
          <label htmlFor="webhook-secret" className="text-sm font-medium">
            Signing secret
          </label>
          <input
            id="webhook-secret"
            readOnly
            value={secret}
            onFocus={(e) => e.currentTarget.select()}
            className="bg-muted w-full min-w-0 rounded-md border px-3 py-2 font-mono text-xs"
          />
          <p className="text-muted-foreground text-sm">
            Verify each delivery with it (see the Standard Webhooks libraries). It is not shown again; rotate it if it is lost.
          </p>
          <DialogFooter>
            <Button
              variant="outline"
              onClick={async () => {
                await navigator.clipboard.writeText(secret);
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy secret"}
            </Button>
            <Button
              onClick={() => {
                setCopied(false);
                onClose();
              }}
            >
              Done
            </Button>
          </DialogFooter>
        </DialogContent>
      )}
    </Dialog>
  );
}
