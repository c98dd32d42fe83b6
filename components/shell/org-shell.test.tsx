import { render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { OrgShell } from "./org-shell";

type Org = { orgId: string; name: string; slug: string; role: "owner" | "admin" | "member"; deleted?: boolean } | null | undefined;
let org: Org;
const router = { replace: vi.fn(), push: vi.fn() };

vi.mock("convex/react", () => ({ useQuery: () => org, useMutation: () => vi.fn() }));
vi.mock("next/navigation", () => ({ useRouter: () => router }));
vi.mock("./user-menu", () => ({ UserMenu: () => <span>account</span> }));
vi.mock("./org-switcher", () => ({ OrgSwitcher: ({ current }: { current: { name: string } }) => <span>switcher {current.name}</span> }));

beforeEach(() => {
  org = undefined;
  router.replace.mockClear();
  router.push.mockClear();
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
    org = { orgId: "o1", name: "Acme Inc", slug: "acme", role: "member", deleted: false };
    const { rerender } = render(<OrgShell slug="acme">page</OrgShell>);
    expect(screen.getByText("page")).toBeTruthy();
    org = null;
    rerender(<OrgShell slug="acme">page</OrgShell>);
    expect(screen.getByRole("heading", { level: 1, name: "You no longer have access to Acme Inc" })).toBeTruthy();
    expect(screen.queryByText("page")).toBeNull();
  });

  test("another slug with no access is not found, whatever was shown before", () => {
    org = { orgId: "o1", name: "Acme Inc", slug: "acme", role: "member", deleted: false };
    const { rerender } = render(<OrgShell slug="acme">page</OrgShell>);
    org = null;
    rerender(<OrgShell slug="other">page</OrgShell>);
    expect(screen.getByRole("heading", { level: 1, name: "Organization not found" })).toBeTruthy();
  });
});

describe("OrgShell, when the organization moved or was deleted", () => {
  test("an old slug moves the page to the current one: same sub-path and query, no new history entry", () => {
    window.history.pushState({}, "", "/o/acme/settings/members?tab=2#x");
    org = { orgId: "o1", name: "Acme Inc", slug: "acme-labs", role: "member", deleted: false };
    render(<OrgShell slug="acme">page</OrgShell>);
    expect(router.replace).toHaveBeenCalledWith("/o/acme-labs/settings/members?tab=2#x");
    expect(router.push).not.toHaveBeenCalled();
  });

  test("the current slug does not move", () => {
    org = { orgId: "o1", name: "Acme Inc", slug: "acme", role: "member", deleted: false };
    render(<OrgShell slug="acme">page</OrgShell>);
    expect(router.replace).not.toHaveBeenCalled();
  });

  test("a deleted organization says so, by name, with no switcher and no page", () => {
    org = { orgId: "o1", name: "Acme Inc", slug: "acme", role: "member", deleted: true };
    render(<OrgShell slug="acme">page</OrgShell>);
    expect(screen.getByRole("heading", { level: 1, name: "Acme Inc was deleted" })).toBeTruthy();
    expect(screen.queryByText("page")).toBeNull();
    expect(screen.queryByText(/switcher/)).toBeNull();
  });

  test("members with it open are told it was deleted, and still are once it is gone", () => {
    org = { orgId: "o1", name: "Acme Inc", slug: "acme", role: "member", deleted: false };
    const { rerender } = render(<OrgShell slug="acme">page</OrgShell>);
    org = { ...org, deleted: true };
    rerender(<OrgShell slug="acme">page</OrgShell>);
    expect(screen.getByRole("heading", { level: 1, name: "Acme Inc was deleted" })).toBeTruthy();
    org = null;
    rerender(<OrgShell slug="acme">page</OrgShell>);
    expect(screen.getByRole("heading", { level: 1, name: "Acme Inc was deleted" })).toBeTruthy();
  });
});
