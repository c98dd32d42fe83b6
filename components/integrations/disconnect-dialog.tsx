"use client";

import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";

/** Asks before disconnecting, and says what will happen. */
export function DisconnectDialog({
  providerName,
  authKind,
  open,
  busy,
  onOpenChange,
  onConfirm,
}: {
  providerName: string;
  authKind: string;
  open: boolean;
  busy: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
}) {
  return (
    <Dialog open={open} onOpenChange={(next) => !busy && onOpenChange(next)}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Disconnect {providerName}?</DialogTitle>
          <DialogDescription>
            {authKind === "oauth2"
              ? `Switchboard revokes its access at ${providerName} where ${providerName} allows it, and deletes the stored tokens.`
              : `Switchboard deletes the stored credentials for ${providerName}.`}{" "}
            Workflows that use it stop working until someone connects it again. The activity history stays.
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button variant="ghost" disabled={busy} onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button variant="destructive" disabled={busy} onClick={onConfirm}>
            {busy ? "Disconnecting…" : "Disconnect"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
