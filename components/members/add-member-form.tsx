"use client";

import { useMutation } from "convex/react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { normalizeEmail } from "@/lib/passwords";
import { errorMessage } from "@/lib/error-messages";
import { roleWithArticle, type Role } from "@/lib/roles";

/** Adds an existing account by email with one of the roles the viewer may give. */
export function AddMemberForm({ orgId, roles }: { orgId: Id<"organizations">; roles: Role[] }) {
  const add = useMutation(api.orgs.members.add);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    const email = normalizeEmail(String(form.get("email") ?? ""));
    if (!email) return setError("Enter a valid email address.");
    const role = String(form.get("role")) as Role;
    setBusy(true);
    setError(null);
    try {
      await add({ orgId, email, role });
      toast.success(`${email} is now ${roleWithArticle(role)} of this organization.`);
      formEl.reset();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="grid gap-2" noValidate aria-label="Add member">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="grid flex-1 gap-2">
          <Label htmlFor="member-email">Email</Label>
          <Input
            id="member-email"
            name="email"
            type="email"
            placeholder="colleague@company.com"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "member-email-error" : undefined}
          />
        </div>
        <div className="grid gap-2">
          <Label htmlFor="member-role">Role</Label>
          <NativeSelect id="member-role" name="role" defaultValue="member">
            {roles.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Button type="submit" disabled={busy}>
          {busy ? "Adding…" : "Add member"}
        </Button>
      </div>
      {error && (
        <p id="member-email-error" className="text-destructive text-sm">
          {error}
        </p>
      )}
    </form>
  );
}
