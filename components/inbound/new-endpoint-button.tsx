"use client";

import { useAction } from "convex/react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { useCurrentOrg } from "@/components/shell/org-context";
import { ShowOnceDialog } from "@/components/shell/show-once-dialog";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { errorData } from "@/lib/error-messages";

/** The providers whose endpoints an admin makes by hand (convex/webhooks/inbound/endpoints.ts PASTED_PROVIDERS). */
export type PastedProviderId = "custom-webhook" | "notion";

const WORDS: Record<PastedProviderId, { button: string; title: string; description: string }> = {
  "custom-webhook": {
    button: "New endpoint",
    title: "New endpoint",
    description: "For any sender that signs with Standard Webhooks. Its signing secret is shown once, when the endpoint is made.",
  },
  notion: {
    button: "New Notion endpoint",
    title: "New Notion endpoint",
    description: "Paste its URL into a Notion webhook subscription. Notion then sends a verification token, which appears here once.",
  },
};

/** The server's limit (ENDPOINT_DESCRIPTION_MAX in convex/webhooks/inbound/endpoints.ts), which checks it again. */
const DESCRIPTION_MAX = 200;

/** What to do with a Standard Webhooks endpoint's secret, under the secret. */
export const INBOUND_SECRET_NOTE =
  "Give it to the sender with the endpoint's URL; deliveries not signed with it are refused. It is not shown again: if it is lost, remove the endpoint and make another.";

/**
 * An admin's "New endpoint": a description, then the endpoint. A Standard Webhooks
 * endpoint's whsec_ secret is shown once (ShowOnceDialog); a Notion endpoint has none
 * yet (Notion sends its token to the URL, and the endpoint's row offers it once).
 */
export function NewEndpointButton({ providerId, size }: { providerId: PastedProviderId; size?: "sm" | "default" }) {
  const org = useCurrentOrg();
  const create = useAction(api.webhooks.inbound.endpoints.create);
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const words = WORDS[providerId];
  return (
    <>
      <Button size={size} onClick={() => setOpen(true)}>
        {words.button}
      </Button>
      {open && (
        <NewEndpointDialog
          title={words.title}
          description={words.description}
          onOpenChange={setOpen}
          onSubmit={async (description) => {
            const created = await create({ orgId: org.orgId, providerId, description });
            setOpen(false);
            if (created.secret !== null) setSecret(created.secret);
            else toast.success("Endpoint made. Paste its URL into Notion; the verification token appears here when Notion sends it.");
          }}
        />
      )}
      <ShowOnceDialog
        value={secret}
        label="Signing secret"
        noun="secret"
        note={INBOUND_SECRET_NOTE}
        title="Endpoint made"
        description="Copy its signing secret now: this is the only time it is shown."
        onClose={() => setSecret(null)}
      />
    </>
  );
}

function NewEndpointDialog({
  title,
  description,
  onOpenChange,
  onSubmit,
}: {
  title: string;
  description: string;
  onOpenChange: (open: boolean) => void;
  onSubmit: (description: string) => Promise<void>;
}) {
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(value);
    } catch (e) {
      setError(errorData(e)?.message ?? "Could not make the endpoint. Try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open onOpenChange={(next) => !busy && onOpenChange(next)}>
      <DialogContent>
        <form onSubmit={submit} noValidate className="grid gap-4" aria-label={title}>
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{description}</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="inbound-endpoint-description">Description</Label>
            <Input
              id="inbound-endpoint-description"
              value={value}
              autoFocus
              required
              maxLength={DESCRIPTION_MAX}
              placeholder="What sends to it (Billing system, Notion workspace)"
              onChange={(e) => setValue(e.target.value)}
              {...(error ? { "aria-invalid": true, "aria-describedby": "inbound-endpoint-description-error" } : {})}
            />
            {error && (
              <p id="inbound-endpoint-description-error" role="alert" className="text-destructive text-sm">
                {error}
              </p>
            )}
          </div>
          <DialogFooter>
            <Button type="button" variant="ghost" disabled={busy} onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy} aria-busy={busy}>
              {busy ? "Making…" : "Make endpoint"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
