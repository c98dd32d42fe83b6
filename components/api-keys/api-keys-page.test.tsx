import { render, screen, within } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import { OrgProvider, type CurrentOrg } from "@/components/shell/org-context";
import type { Role } from "@/lib/roles";
import { ApiKeysPage } from "./api-keys-page";

const DAY = 24 * 60 * 60_000;
const now = Date.now();
const keys = [
  {
    id: "k1",
    name: "Deploy bot",
    prefix: "sbk_AbCd",
    lastFour: "wxyz",
    scopes: ["connections:read", "actions:run"],
    providerIds: ["slack"],
    rateLimitPerMinute: 60,
    expiresAt: now + 3 * DAY,
    graceEndsAt: null,
    replacedBy: null,
    revokedAt: null,
    createdAt: now - DAY,
    lastUsedAt: now - 5 * 60_000,
    state: "expiring",
  },
  {
    id: "k2",
    name: "Old script",
    prefix: "sbk_EfGh",
    lastFour: "1234",
    scopes: ["calls:read"],
    providerIds: null,
    rateLimitPerMinute: 10,
    expiresAt: null,
    graceEndsAt: null,
    replacedBy: null,
    revokedAt: now - DAY,
    createdAt: now - 10 * DAY,
    lastUsedAt: null,
    state: "revoked",
  },
];

vi.mock("convex/react", () => ({
  useQuery: () => keys,
  useMutation: () => vi.fn(),
  useAction: () => vi.fn(),
}));
vi.mock("next/navigation", () => ({ useRouter: () => ({ replace: vi.fn(), push: vi.fn() }) }));

function renderAs(role: Role) {
  render(
    <OrgProvider value={{ orgId: "org1", name: "Acme", slug: "acme", role } as CurrentOrg}>
      <ApiKeysPage />
    </OrgProvider>,
  );
  const rows = screen.getAllByTestId("api-key-row");
  return { first: rows[0]!, second: rows[1]! };
}

describe("ApiKeysPage", () => {
  test("admins see each key's prefix, last four, scopes, last used and an expiry warning, with Rotate and Revoke", () => {
    const { first, second } = renderAs("admin");
    expect(screen.getByRole("button", { name: "Create API key" })).toBeInTheDocument();
    expect(first).toHaveTextContent("sbk_AbCd…wxyz");
    expect(first).toHaveTextContent("Expires soon");
    expect(first).toHaveTextContent("This key expires in 3 days");
    expect(first).toHaveTextContent("Last used: 5 minutes ago");
    expect(first).toHaveTextContent("Connections: slack");
    expect(within(first).getByLabelText("Scopes")).toHaveTextContent("connections:readactions:run");
    expect(within(first).getByRole("button", { name: "Rotate Deploy bot" })).toBeInTheDocument();
    expect(within(first).getByRole("button", { name: "Revoke Deploy bot" })).toBeInTheDocument();
    // A revoked key has nothing left to do.
    expect(second).toHaveTextContent("Revoked");
    expect(within(second).queryByRole("button", { name: /Rotate|Revoke/ })).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: "API reference" })).toHaveAttribute("href", "/o/acme/settings/api-keys/reference");
  });

  test("members see the list read-only: no create, rotate or revoke, and never a key", () => {
    const { first } = renderAs("member");
    expect(screen.queryByRole("button", { name: "Create API key" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Rotate|^Revoke/ })).not.toBeInTheDocument();
    expect(first).toHaveTextContent("sbk_AbCd…wxyz");
    expect(within(first).getByRole("button", { name: "Show usage of Deploy bot" })).toHaveAttribute("aria-expanded", "false");
    expect(screen.getByText(/read-only/)).toBeInTheDocument();
  });
});
