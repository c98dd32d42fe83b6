"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";

/** Shows a new key, the only time it can be seen, with a copy button. */
export function KeyRevealDialog({ shown, onClose }: { shown: { name: string; key: string } | null; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog
      open={shown !== null}
      onOpenChange={(open) => {
        if (!open) {
          setCopied(false);
          onClose();
        }
      }}
    >
      {shown && (
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Your new key “{shown.name}”</DialogTitle>
            <DialogDescription>Copy it now: it is not shown again. Anyone with it can use the API as this key.</DialogDescription>
          </DialogHeader>
          <code data-testid="new-api-key" className="bg-muted block rounded-md p-3 font-mono text-sm break-all select-all">
            {shown.key}
          </code>
          <p role="status" className="text-muted-foreground min-h-5 text-sm">
            {copied ? "Copied to the clipboard." : ""}
          </p>
          <DialogFooter>
            <Button
              variant="outline"
              onClick={async () => {
                await navigator.clipboard.writeText(shown.key);
                setCopied(true);
              }}
            >
              Copy key
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
