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
import { DisconnectDialog } from "./disconnect-dialog";
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
  const [disconnecting, setDisconnecting] = useState<{ id: string; name: string; authKind: string } | null>(null);
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
        // The card follows the connection live; the popup reports its own result.
        return withBusy(providerId, action, async () => void (await connect(providerId)));
      case "disconnect":
        return setDisconnecting({ id: providerId, name: provider.displayName, authKind: provider.authKind });
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

  async function confirmDisconnect() {
    if (!disconnecting) return;
    const target = disconnecting;
    await withBusy(target.id, "disconnect", async () => {
      const { revokedAtProvider, revocationPending } = await disconnect({ orgId: org.orgId, providerId: target.id });
      const revocation = revokedAtProvider
        ? " and its access revoked"
        : revocationPending
          ? `; revoking its access at ${target.name} is pending and will be tried again`
          : "";
      toast.success(`${target.name} disconnected${revocation}.`);
      setDisconnecting(null);
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
      {disconnecting && (
        <DisconnectDialog
          providerName={disconnecting.name}
          authKind={disconnecting.authKind}
          open
          busy={busy?.action === "disconnect"}
          onOpenChange={(open) => !open && setDisconnecting(null)}
          onConfirm={() => void confirmDisconnect()}
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
