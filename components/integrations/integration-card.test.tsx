import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import { IntegrationCard, type CardConnection } from "./integration-card";

const github = {
  id: "github",
  displayName: "GitHub",
  description: "Issues and pull requests.",
  logo: "/providers/github.svg",
  authKind: "oauth2" as const,
};
const now = Date.UTC(2026, 10, 23, 12, 0, 0);

function connection(status: CardConnection["status"], extra: Partial<CardConnection> = {}): CardConnection {
  return {
    status,
    statusReason: null,
    lastError: null,
    accountName: "octocat",
    accountId: "1",
    connectedAt: now - 3_600_000,
    lastCheckedAt: now - 3 * 60_000,
    ...extra,
  };
}

function renderCard(conn: CardConnection | null, canManage: boolean, onAction = vi.fn()) {
  render(
    <IntegrationCard provider={github} connection={conn} canManage={canManage} now={now} busy={null} onAction={onAction} />,
  );
  return { card: screen.getByTestId("integration-card-github"), onAction };
}

/** Visible labels, with the provider's name each button carries for screen readers checked off. */
const buttonNames = (card: HTMLElement, providerName = "GitHub") =>
  within(card)
    .queryAllByRole("button")
    .map((b) => {
      expect(b).toHaveAccessibleName(expect.stringMatching(new RegExp(` ${providerName}$`)));
      return b.textContent!.replace(` ${providerName}`, "");
    });

describe("IntegrationCard for admins", () => {
  test.each([
    ["not connected", null, "Not connected", ["Connect"]],
    ["connected", connection("connected"), "Connected", ["Test", "Disconnect"]],
    ["refreshing", connection("refreshing"), "Refreshing", ["Test", "Disconnect"]],
    ["error", connection("error", { statusReason: "refresh_revoked" }), "Error", ["Reconnect", "Test", "Disconnect"]],
    ["disconnected", connection("disconnected"), "Disconnected", ["Connect"]],
  ])("%s shows its badge and the actions it allows", (_name, conn, badge, buttons) => {
    const { card } = renderCard(conn, true);
    expect(within(card).getByTestId("status-badge")).toHaveTextContent(badge);
    expect(buttonNames(card)).toEqual(buttons);
  });

  test("a live connection shows its account and a relative check time", () => {
    const { card } = renderCard(connection("connected"), true);
    expect(card).toHaveTextContent("octocat");
    expect(card).toHaveTextContent("Checked 3 minutes ago");
  });

  test("an error says why and what to do", () => {
    const { card } = renderCard(connection("error", { statusReason: "refresh_revoked" }), true);
    expect(within(card).getByRole("status")).toHaveTextContent(/revoked.*Reconnect/);
  });

  test("clicking a button reports its action", async () => {
    const { card, onAction } = renderCard(connection("error", { statusReason: "unauthorized" }), true);
    await userEvent.click(within(card).getByRole("button", { name: "Reconnect GitHub" }));
    expect(onAction).toHaveBeenCalledWith("connect");
  });

  test("while an action runs, every button is disabled and the running one says so", () => {
    render(
      <IntegrationCard
        provider={github}
        connection={connection("connected")}
        canManage
        now={now}
        busy="test"
        onAction={vi.fn()}
      />,
    );
    const card = screen.getByTestId("integration-card-github");
    expect(within(card).getByRole("button", { name: "Testing… GitHub" })).toBeDisabled();
    expect(within(card).getByRole("button", { name: "Disconnect GitHub" })).toBeDisabled();
  });
});

describe("IntegrationCard for members", () => {
  test.each([
    ["not connected", null, "Not connected"],
    ["connected", connection("connected"), "Connected"],
    ["refreshing", connection("refreshing"), "Refreshing"],
    ["error", connection("error", { statusReason: "unauthorized" }), "Error"],
    ["disconnected", connection("disconnected"), "Disconnected"],
  ])("%s shows the status but no action buttons", (_name, conn, badge) => {
    const { card } = renderCard(conn, false);
    expect(within(card).getByTestId("status-badge")).toHaveTextContent(badge);
    expect(buttonNames(card)).toEqual([]);
  });
});

describe("IntegrationCard for members, with a provider page", () => {
  test("a member gets the Open link to the read-only page, and no buttons", () => {
    render(
      <IntegrationCard provider={github} connection={connection("connected")} canManage={false} now={now} busy={null} onAction={vi.fn()} href="/o/acme/settings/integrations/github" />,
    );
    const card = screen.getByTestId("integration-card-github");
    expect(within(card).getAllByRole("link", { name: "Open GitHub" })[0]).toHaveAttribute("href", "/o/acme/settings/integrations/github");
    expect(buttonNames(card)).toEqual([]);
  });
  test("an error tells a member to ask an admin, not to reconnect", () => {
    const { card } = renderCard(connection("error", { statusReason: "refresh_revoked" }), false);
    expect(within(card).getByRole("status")).toHaveTextContent("Ask an admin to reconnect it.");
    expect(within(card).getByRole("status")).not.toHaveTextContent("Reconnect to fix it.");
  });
});

describe("IntegrationCard after a disconnect", () => {
  test("says when revoking at the provider is still being tried, or was given up", () => {
    const { card } = renderCard(connection("disconnected", { revocation: "pending" }), true);
    expect(within(card).getByRole("status").textContent).toMatch(/Revocation pending.*GitHub/);
  });
  test("a revocation that was given up tells the admin where to remove the access", () => {
    const { card } = renderCard(connection("disconnected", { revocation: "failed" }), false);
    expect(within(card).getByRole("status").textContent).toMatch(/Could not revoke access at GitHub/);
  });
  test("a clean disconnect says nothing more", () => {
    const { card } = renderCard(connection("disconnected", { revocation: null }), true);
    expect(within(card).queryByRole("status")).toBeNull();
  });
});

describe("IntegrationCard for a webhook", () => {
  test("its check is named for what it does: it sends a test message", () => {
    const pumble = { ...github, id: "pumble", displayName: "Pumble", authKind: "webhook_url" as const };
    render(<IntegrationCard provider={pumble} connection={connection("connected")} canManage now={now} busy={null} onAction={vi.fn()} />);
    expect(buttonNames(screen.getByTestId("integration-card-pumble"), "Pumble")).toEqual(["Send test message", "Disconnect"]);
  });
});
