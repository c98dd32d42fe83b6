import { render, screen } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import { OrgProvider, type CurrentOrg } from "@/components/shell/org-context";
import type { Role } from "@/lib/roles";
import { WebhooksPage } from "./webhooks-page";

const endpoint = {
  id: "e1",
  publicId: "ep_1",
  url: "https://hooks.example.com/in",
  description: "Ops",
  filter: ["*"],
  enabled: false,
  disabledReason: "failing",
  disabledAt: 1,
  failingSince: 1,
  lastSuccessAt: null,
  lastFailureAt: Date.now() - 60_000,
  lastFailure: "Answered HTTP 500.",
  previousSecretExpiresAt: null,
  createdAt: 0,
  health: { attempts: 4, delivered: 1, successRate: 0.25, hourly: [] },
};

vi.mock("convex/react", () => ({
  useQuery: () => [endpoint],
  usePaginatedQuery: () => ({ results: [], status: "Exhausted", loadMore: vi.fn() }),
  useMutation: () => vi.fn(),
  useAction: () => vi.fn(),
}));

function renderAs(role: Role) {
  const org = { orgId: "org1", name: "Acme", slug: "acme", role } as CurrentOrg;
  render(
    <OrgProvider value={org}>
      <WebhooksPage />
    </OrgProvider>,
  );
}

describe("WebhooksPage", () => {
  test("a member sees endpoints and their health read-only", () => {
    renderAs("member");
    expect(screen.getByText("https://hooks.example.com/in")).toBeInTheDocument();
    expect(screen.getByText("25% of 4")).toBeInTheDocument();
    for (const name of ["Add endpoint", "Send test event", "Edit endpoint", "Rotate secret", "Turn on endpoint", "Delete endpoint", "Recover"]) {
      expect(screen.queryByRole("button", { name })).not.toBeInTheDocument();
    }
    expect(screen.getByRole("button", { name: "Show delivery log" })).toBeInTheDocument();
  });

  test("an endpoint turned off by five days of failures shows a banner saying why", () => {
    renderAs("admin");
    expect(screen.getByRole("alert")).toHaveTextContent("Every delivery failed for 5 days.");
    expect(screen.getByRole("button", { name: "Turn on endpoint" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Send test event" })).toBeDisabled();
  });
});
