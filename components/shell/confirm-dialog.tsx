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
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { deletionConfirmed } from "@/lib/org-name";

export type ConfirmRequest = {
  title: string;
  description: ReactNode;
  /** The confirming button's words: what it does ("Remove", "Leave"). */
  confirmLabel: string;
  busyLabel: string;
  onConfirm: () => Promise<void>;
  /**
   * For what cannot be undone: the words (an organization's name) to type before the
   * confirming button is enabled.
   */
  typeToConfirm?: string;
};

/**
 * Asks before a destructive action, in the app's own dialog (not `window.confirm`):
 * the question, what happens, Cancel and the action. While the action runs the dialog
 * stays open and cannot be dismissed; it closes when the action is done.
 */
export function useConfirm(): { confirm: (request: ConfirmRequest) => void; dialog: ReactNode } {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const [typed, setTyped] = useState("");
  const close = () => setRequest(null);
  const open = (next: ConfirmRequest) => {
    setTyped("");
    setRequest(next);
  };
  const typedEnough = request?.typeToConfirm === undefined || deletionConfirmed(typed, request.typeToConfirm);
  const dialog = (
    <Dialog open={request !== null} onOpenChange={(open) => !busy && !open && close()}>
      {request && (
        <DialogContent>
          <DialogHeader>
            <DialogTitle>{request.title}</DialogTitle>
            <DialogDescription>{request.description}</DialogDescription>
          </DialogHeader>
          {request.typeToConfirm !== undefined && (
            <div className="grid gap-2">
              <Label htmlFor="confirm-typed">
                Type <span className="font-semibold break-all">{request.typeToConfirm}</span> to confirm
              </Label>
              <Input
                id="confirm-typed"
                value={typed}
                autoComplete="off"
                spellCheck={false}
                disabled={busy}
                onChange={(event) => setTyped(event.target.value)}
              />
            </div>
          )}
          <DialogFooter>
            <Button variant="ghost" disabled={busy} onClick={close}>
              Cancel
            </Button>
            <Button
              variant="destructive"
              disabled={busy || !typedEnough}
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
  return { confirm: open, dialog };
}
