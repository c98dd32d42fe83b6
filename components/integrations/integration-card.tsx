"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { statusView, timeAgo, type ConnectionStatus, type StatusView } from "@/lib/integrations/status";
import { cn } from "@/lib/utils";

export type CardProvider = {
  id: string;
  displayName: string;
  description: string;
  logo: string;
  authKind: "oauth2" | "basic" | "api_key" | "webhook_url";
};

export type CardConnection = {
  status: ConnectionStatus;
  statusReason: string | null;
  lastError: string | null;
  accountName: string | null;
  accountId: string | null;
  connectedAt: number;
  lastCheckedAt: number | null;
  /** After a disconnect: the revocation at the provider is still being tried, or was given up. */
  revocation?: "pending" | "failed" | null;
};

export type CardAction = "connect" | "test" | "disconnect";

const TONE: Record<StatusView["tone"], "secondary" | "success" | "warning" | "destructive" | "outline"> = {
  neutral: "outline",
  success: "success",
  progress: "warning",
  danger: "destructive",
  muted: "secondary",
};

/**
 * One provider: logo, name, status and, for owners and admins, the actions its
 * state allows. Members see the same card without buttons.
 */
export function IntegrationCard({
  provider,
  connection,
  canManage,
  now,
  busy,
  onAction,
  href,
}: {
  provider: CardProvider;
  connection: CardConnection | null;
  canManage: boolean;
  now: number;
  /** The provider's own page; the card links to it once the provider has a connection, current or past. */
  href?: string;
  busy: CardAction | null;
  onAction: (action: CardAction) => void;
}) {
  const view = statusView(connection, canManage ? "admin" : "member");
  const live = connection !== null && connection.status !== "disconnected";
  return (
    <Card data-testid={`integration-card-${provider.id}`} data-status={view.key} className="gap-4">
      <CardHeader className="grid-cols-[auto_1fr] items-center gap-x-3">
        {/* Local SVGs: nothing for next/image to optimise. Fixed size, so no layout shift. */}
        <img src={provider.logo} alt="" width={40} height={40} className="row-span-2 size-10 rounded-md" />
        {/* Cards sit under their category's h2. */}
        <CardTitle as="h3">
          {href && connection ? (
            <Link href={href} className="hover:underline">
              {provider.displayName}
            </Link>
          ) : (
            provider.displayName
          )}
        </CardTitle>
        <CardDescription className="line-clamp-2">{provider.description}</CardDescription>
      </CardHeader>
      <CardContent className="grid min-h-16 content-start gap-1 text-sm">
        <div className="flex flex-wrap items-center gap-2">
          <Badge variant={TONE[view.tone]} data-testid="status-badge">
            {view.label}
          </Badge>
          {live && connection.accountName && (
            <span className="text-muted-foreground truncate" title={connection.accountId ?? undefined}>
              {connection.accountName}
            </span>
          )}
        </div>
        {view.explanation && (
          <p role="status" className="text-destructive">
            {view.explanation}
          </p>
        )}
        {!live && connection?.revocation && (
          <p role="status" className={connection.revocation === "failed" ? "text-destructive" : "text-muted-foreground"}>
            {connection.revocation === "pending"
              ? `Revocation pending: Switchboard keeps trying to revoke its access at ${provider.displayName}.`
              : `Could not revoke access at ${provider.displayName}: remove Switchboard in ${provider.displayName}'s own settings.`}
          </p>
        )}
        {live && (
          <p className="text-muted-foreground text-xs">
            {connection.lastCheckedAt
              ? `Checked ${timeAgo(connection.lastCheckedAt, now)}`
              : `Connected ${timeAgo(connection.connectedAt, now)}`}
          </p>
        )}
      </CardContent>
      {(canManage || (href && connection)) && (
        <CardFooter className={cn("mt-auto flex flex-wrap gap-2")}>
          {(canManage ? actionsFor(view.key, provider.authKind) : []).map((action) => (
            <Button
              key={action.label}
              size="sm"
              variant={action.variant}
              disabled={busy !== null}
              onClick={() => onAction(action.action)}
            >
              {busy === action.action ? action.busyLabel : action.label}
              {/* Named for what it acts on: a list of cards is a list of "Connect" buttons otherwise. */}
              <span className="sr-only"> {provider.displayName}</span>
            </Button>
          ))}
          {href && connection && (
            <Button asChild size="sm" variant="link" className="ml-auto px-0">
              <Link href={href}>
                Open<span className="sr-only"> {provider.displayName}</span>
              </Link>
            </Button>
          )}
        </CardFooter>
      )}
    </Card>
  );
}

type ActionButton = {
  action: CardAction;
  label: string;
  busyLabel: string;
  variant: "default" | "outline" | "ghost";
};

// Busy from the click until the consent popup reports or is closed.
const CONNECT: ActionButton = { action: "connect", label: "Connect", busyLabel: "Waiting for approval…", variant: "default" };
const RECONNECT: ActionButton = { ...CONNECT, label: "Reconnect" };
const TEST: ActionButton = { action: "test", label: "Test", busyLabel: "Testing…", variant: "outline" };
// A webhook has no "who am I": its test posts the sample message where the webhook points.
const SEND_TEST: ActionButton = { ...TEST, label: "Send test message", busyLabel: "Sending…" };
const DISCONNECT: ActionButton = {
  action: "disconnect",
  label: "Disconnect",
  busyLabel: "Disconnecting…",
  variant: "ghost",
};

/** The buttons each state offers to those who manage integrations. */
export function actionsFor(status: StatusView["key"], authKind: CardProvider["authKind"]): ActionButton[] {
  const test = authKind === "webhook_url" ? SEND_TEST : TEST;
  switch (status) {
    case "not_connected":
    case "disconnected":
      return [CONNECT];
    case "connected":
    case "refreshing":
      return [test, DISCONNECT];
    case "error":
      return [RECONNECT, test, DISCONNECT];
    default:
      return status satisfies never;
  }
}
