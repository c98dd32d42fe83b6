"use client";

import { useMutation } from "convex/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent, type ReactNode } from "react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { errorCode, errorMessage } from "@/lib/error-messages";
import { ErrorCode } from "@/lib/errors";
import { ORG_NAME_MAX_LENGTH } from "@/lib/org-name";

/**
 * "Create organization": asks for a name, then opens the new organization. A name the
 * viewer already has among their organizations is warned about first: they confirm it
 * or change it.
 */
export function CreateOrgDialog({ trigger }: { trigger: ReactNode }) {
  const create = useMutation(api.orgs.organizations.create);
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The name the server warned about, and its warning; submitting that name again confirms it. */
  const [duplicate, setDuplicate] = useState<{ name: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    if (!name) return setError("Give the organization a name.");
    setBusy(true);
    setError(null);
    try {
      const { slug } = await create({ name, confirmDuplicateName: duplicate?.name === name });
      setOpen(false);
      router.push(`/o/${slug}/settings/integrations`);
    } catch (e) {
      if (errorCode(e) === ErrorCode.DUPLICATE_NAME) setDuplicate({ name, message: errorMessage(e) });
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setError(null);
        setDuplicate(null);
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>Create organization</DialogTitle>
            <DialogDescription>You will be its owner. You can invite people next.</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="org-name">Name</Label>
            <Input
              id="org-name"
              name="name"
              maxLength={ORG_NAME_MAX_LENGTH + 20}
              autoFocus
              onChange={() => setDuplicate(null)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "org-name-error" : duplicate ? "org-name-duplicate" : undefined}
            />
            {error && (
              <p id="org-name-error" className="text-destructive text-sm">
                {error}
              </p>
            )}
            {duplicate && (
              <p id="org-name-duplicate" role="status" className="text-sm text-amber-700 dark:text-amber-400">
                {duplicate.message} Create another one with the same name, or change the name.
              </p>
            )}
          </div>
          <DialogFooter>
            <Button type="submit" disabled={busy}>
              {busy ? "Creating…" : duplicate ? `Create another ${duplicate.name}` : "Create organization"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
