"use client";

import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";

export type ConfirmRequest = {
  title: string;
  description: ReactNode;
  /** The confirming button's words: what it does ("Remove", "Leave"). */
  confirmLabel: string;
  busyLabel: string;
  onConfirm: () => Promise<void>;
};

/**
 * Asks before a destructive action, in the app's own dialog (not `window.confirm`):
 * the question, what happens, Cancel and the action. While the action runs the dialog
 * stays open and cannot be dismissed; it closes when the action is done.
 */
export function useConfirm(): { confirm: (request: ConfirmRequest) => void; dialog: ReactNode } {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => setRequest(null);
  const dialog = (
    <Dialog open={request !== null} onOpenChange={(open) => !busy && !open && close()}>
      {request && (
        <DialogContent>
          <DialogHeader>
            <DialogTitle>{request.title}</DialogTitle>
            <DialogDescription>{request.description}</DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <Button variant="ghost" disabled={busy} onClick={close}>
              Cancel
            </Button>
            <Button
              variant="destructive"
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                try {
                  await request.onConfirm();
                } finally {
                  setBusy(false);
                  close();
                }
              }}
            >
              {busy ? request.busyLabel : request.confirmLabel}
            </Button>
          </DialogFooter>
        </DialogContent>
      )}
    </Dialog>
  );
  return { confirm: setRequest, dialog };
}
