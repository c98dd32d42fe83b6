"use client";

import { useAction, useMutation } from "convex/react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { useConfirm } from "@/components/shell/confirm-dialog";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { errorMessage } from "@/lib/error-messages";
import { ORG_NAME_MAX_LENGTH, checkOrgName } from "@/lib/org-name";
import { hasRole } from "@/lib/roles";
import { SLUG_MAX_LENGTH, checkSlug } from "@/lib/slug";
import { SettingForm } from "./setting-form";

/**
 * `/o/[orgSlug]/settings/general`: the organization's name and address, and deleting it.
 * Owners change them; everyone else sees them read-only.
 */
export function OrgSettingsPage() {
  const org = useCurrentOrg();
  const isOwner = hasRole(org.role, "owner");
  return (
    <div className="grid gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Organization settings</h1>
        <p className="text-muted-foreground text-sm">
          {isOwner
            ? "Its name, its address and deleting it. Only owners can change these."
            : "Only owners can change the organization's name and address."}
        </p>
      </div>
      {isOwner ? <OwnerSettings /> : <ReadOnlySettings />}
    </div>
  );
}

function ReadOnlySettings() {
  const org = useCurrentOrg();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Organization</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-3 text-sm sm:grid-cols-[8rem_1fr]">
          <dt className="text-muted-foreground">Name</dt>
          <dd className="break-words">{org.name}</dd>
          <dt className="text-muted-foreground">Address</dt>
          <dd className="font-mono break-all">/o/{org.slug}</dd>
        </dl>
      </CardContent>
    </Card>
  );
}

function OwnerSettings() {
  const org = useCurrentOrg();
  const rename = useMutation(api.orgs.settings.rename);
  const changeSlug = useMutation(api.orgs.settings.changeSlug);
  const remove = useAction(api.orgs.deletion.remove);
  const { confirm, dialog } = useConfirm();

  return (
    <>
      <Card>
        <CardHeader>
          <CardTitle>Name</CardTitle>
          <CardDescription>How the organization appears to its members.</CardDescription>
        </CardHeader>
        <CardContent>
          <SettingForm
            label="Organization name"
            value={org.name}
            hint={`Up to ${ORG_NAME_MAX_LENGTH} characters. The address stays as it is.`}
            maxLength={ORG_NAME_MAX_LENGTH + 20}
            submitLabel="Rename organization"
            check={checkOrgName}
            busyLabel="Renaming…"
            onSave={async (name) => {
              const result = await rename({ orgId: org.orgId, name });
              toast.success(`The organization is now called ${result.name}.`);
            }}
          />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Address</CardTitle>
          <CardDescription>The part of every link to this organization after /o/.</CardDescription>
        </CardHeader>
        <CardContent>
          <SettingForm
            label="Organization address"
            value={org.slug}
            prefix="/o/"
            hint={`Lowercase letters, digits and dashes. Old links to /o/${org.slug} keep working until another organization takes that address.`}
            maxLength={SLUG_MAX_LENGTH + 10}
            submitLabel="Change address"
            check={checkSlug}
            busyLabel="Changing…"
            onSave={async (slug) => {
              const result = await changeSlug({ orgId: org.orgId, slug });
              // The shell follows on its own: the old address now answers with the new one.
              toast.success(`The organization moved to /o/${result.slug}.`);
            }}
          />
        </CardContent>
      </Card>
      <Card className="border-destructive/50">
        <CardHeader>
          <CardTitle>Delete organization</CardTitle>
          <CardDescription>
            Disconnects every integration (revoking its access at the provider) and deletes the organization&apos;s
            workflows, logs, activity and members. This cannot be undone.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Button
            variant="destructive"
            onClick={() =>
              confirm({
                title: `Delete ${org.name}?`,
                description:
                  "Every connection is revoked at its provider and all of the organization's data is deleted. Everyone in it loses access at once.",
                confirmLabel: "Delete organization",
                busyLabel: "Deleting…",
                typeToConfirm: org.name,
                onConfirm: async () => {
                  try {
                    await remove({ orgId: org.orgId, confirmName: org.name });
                  } catch (e) {
                    toast.error(errorMessage(e));
                  }
                },
              })
            }
          >
            Delete organization
          </Button>
        </CardContent>
      </Card>
      {dialog}
    </>
  );
}
