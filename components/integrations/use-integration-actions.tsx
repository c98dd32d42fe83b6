"use client";

import { useAction } from "convex/react";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { useConfirm } from "@/components/shell/confirm-dialog";
import type { CurrentOrg } from "@/components/shell/org-context";
import type { FormProvider } from "@/lib/connect/credential-form";
import { errorMessage } from "@/lib/error-messages";
import { getProvider } from "@/lib/providers";
import { CredentialDialog } from "./credential-dialog";
import type { CardAction } from "./integration-card";
import { useConnect } from "./use-connect";

/**
 * Everything a card's buttons do — connect (popup, redirect fallback, or the
 * credential form), test, disconnect after confirming — shared by the integrations
 * page and a provider's own page. Render `dialogs` once.
 */
export function useIntegrationActions(org: CurrentOrg) {
  const testConnection = useAction(api.integrations.connections.test);
  const disconnect = useAction(api.integrations.connections.disconnect);
  const { connect } = useConnect(org.orgId);
  const [busy, setBusy] = useState<{ providerId: string; action: CardAction } | null>(null);
  const [credentialsFor, setCredentialsFor] = useState<FormProvider | null>(null);
  const { confirm, dialog: confirmDialog } = useConfirm();

  async function withBusy(providerId: string, action: CardAction, work: () => Promise<void>) {
    setBusy({ providerId, action });
    try {
      await work();
    } catch (error) {
      toast.error(errorMessage(error));
    } finally {
      setBusy(null);
    }
  }

  async function run(providerId: string, action: CardAction) {
    const provider = getProvider(providerId);
    if (!provider) return;
    switch (action) {
      case "connect":
        if (provider.authKind !== "oauth2") return setCredentialsFor(provider);
        // Pending while the popup is open; the card follows the connection live and the popup reports its own result.
        return withBusy(providerId, action, async () => void (await connect(providerId)));
      case "disconnect":
        return confirm({
          title: `Disconnect ${provider.displayName}?`,
          description: disconnectConsequences(provider.displayName, provider.authKind),
          confirmLabel: "Disconnect",
          busyLabel: "Disconnecting…",
          onConfirm: () => disconnectNow(providerId, provider.displayName),
        });
      case "test": {
        const test = () =>
          withBusy(providerId, action, async () => {
            const result = await testConnection({ orgId: org.orgId, providerId });
            // The reference finds the test's row in the provider page's call list.
            const details = { description: `Reference ${result.correlationId}` };
            if (result.ok) toast.success(result.message, details);
            else toast.error(result.message, details);
          });
        if (provider.authKind !== "webhook_url") return test();
        // A webhook's test is a real message that everyone where it points will see: ask first.
        return confirm({
          title: `Send a test message through ${provider.displayName}?`,
          description: `Switchboard posts a short test message to where this webhook points; everyone there sees it.`,
          confirmLabel: "Send test message",
          busyLabel: "Sending…",
          onConfirm: test,
        });
      }
      default:
        return action satisfies never;
    }
  }

  function disconnectNow(providerId: string, name: string) {
    return withBusy(providerId, "disconnect", async () => {
      const { revokedAtProvider, revocationPending } = await disconnect({ orgId: org.orgId, providerId });
      const revocation = revokedAtProvider
        ? " and its access revoked"
        : revocationPending
          ? `; revoking its access at ${name} is pending and will be tried again`
          : "";
      toast.success(`${name} disconnected${revocation}.`);
    });
  }

  const dialogs: ReactNode = (
    <>
      {credentialsFor && (
        <CredentialDialog
          key={credentialsFor.id}
          orgId={org.orgId}
          provider={credentialsFor}
          open
          onOpenChange={(open) => !open && setCredentialsFor(null)}
          onConnected={(accountName) => {
            toast.success(`${credentialsFor.displayName} connected as ${accountName}.`);
            setCredentialsFor(null);
          }}
        />
      )}
      {confirmDialog}
    </>
  );

  return {
    busyFor: (providerId: string) => (busy?.providerId === providerId ? busy.action : null),
    run,
    dialogs,
  };
}

/** What disconnecting does, said before it is done. */
function disconnectConsequences(name: string, authKind: string): string {
  const what =
    authKind === "oauth2"
      ? `Switchboard revokes its access at ${name} where ${name} allows it, and deletes the stored tokens.`
      : `Switchboard deletes the stored credentials for ${name}.`;
  return `${what} Workflows that use it stop working until someone connects it again. The activity history stays.`;
}
