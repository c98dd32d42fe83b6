"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";

/**
 * Shows a secret the one time it exists outside the vault or its hash (a new API key, a
 * webhook signing secret after create or rotate), with a copy button. Closing the dialog
 * is the last chance to copy it; nothing can show it again.
 */
export function ShowOnceDialog({
  value,
  title,
  description,
  label,
  noun,
  note,
  onClose,
}: {
  value: string | null;
  title: string;
  description: string;
  /** Names the field ("Signing secret", "API key"). */
  label: string;
  /** What the copy button copies ("secret", "key"). */
  noun: string;
  /** What to do with it, under the field. */
  note?: string;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState(false);
  const id = useId();
  const close = () => {
    setCopied(false);
    onClose();
  };
  return (
    <Dialog open={value !== null} onOpenChange={(open) => !open && close()}>
      {value !== null && (
        <DialogContent>
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{description}</DialogDescription>
          </DialogHeader>
          <label htmlFor={id} className="text-sm font-medium">
            {label}
          </label>
          <input
            id={id}
            readOnly
            value={value}
            onFocus={(e) => e.currentTarget.select()}
            className="bg-muted w-full min-w-0 rounded-md border px-3 py-2 font-mono text-xs"
          />
          {note && <p className="text-muted-foreground text-sm">{note}</p>}
          <p role="status" className="text-muted-foreground min-h-5 text-sm">
            {copied ? "Copied to the clipboard." : ""}
          </p>
          <DialogFooter>
            <Button
              variant="outline"
              onClick={async () => {
                await navigator.clipboard.writeText(value);
                setCopied(true);
              }}
            >
              Copy {noun}
            </Button>
            <Button onClick={close}>Done</Button>
          </DialogFooter>
        </DialogContent>
      )}
    </Dialog>
  );
}
