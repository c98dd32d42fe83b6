import { render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { OrgShell } from "./org-shell";

type Org = { orgId: string; name: string; slug: string; role: "owner" | "admin" | "member" } | null | undefined;
let org: Org;

vi.mock("convex/react", () => ({ useQuery: () => org, useMutation: () => vi.fn() }));
vi.mock("./user-menu", () => ({ UserMenu: () => <span>account</span> }));
vi.mock("./org-switcher", () => ({ OrgSwitcher: ({ current }: { current: { name: string } }) => <span>switcher {current.name}</span> }));

beforeEach(() => {
  org = undefined;
});

describe("OrgShell", () => {
  test("while loading, the header and the page show skeletons", () => {
    const { container } = render(<OrgShell slug="acme">page</OrgShell>);
    expect(container.querySelectorAll('[data-slot="skeleton"]').length).toBeGreaterThan(0);
    expect(screen.queryByText("page")).toBeNull();
  });

  test("an org that does not exist (or is not yours): not found, and no skeleton left in the header", () => {
    org = null;
    const { container } = render(<OrgShell slug="nope">page</OrgShell>);
    expect(screen.getByRole("heading", { level: 1, name: "Organization not found" })).toBeTruthy();
    expect(container.querySelector("header [data-slot='skeleton']")).toBeNull();
    expect(container.querySelector("header")!.textContent).not.toContain("/");
  });

  test("losing access while on the page says so, by the org's name", () => {
    org = { orgId: "o1", name: "Acme Inc", slug: "acme", role: "member" };
    const { rerender } = render(<OrgShell slug="acme">page</OrgShell>);
    expect(screen.getByText("page")).toBeTruthy();
    org = null;
    rerender(<OrgShell slug="acme">page</OrgShell>);
    expect(screen.getByRole("heading", { level: 1, name: "You no longer have access to Acme Inc" })).toBeTruthy();
    expect(screen.queryByText("page")).toBeNull();
  });

  test("another slug with no access is not found, whatever was shown before", () => {
    org = { orgId: "o1", name: "Acme Inc", slug: "acme", role: "member" };
    const { rerender } = render(<OrgShell slug="acme">page</OrgShell>);
    org = null;
    rerender(<OrgShell slug="other">page</OrgShell>);
    expect(screen.getByRole("heading", { level: 1, name: "Organization not found" })).toBeTruthy();
  });
});
