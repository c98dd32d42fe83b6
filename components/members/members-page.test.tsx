import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { OrgProvider, type CurrentOrg } from "@/components/shell/org-context";
import type { Role } from "@/lib/roles";
import { MembersPage } from "./members-page";

const rows = [
  { membershipId: "m1", userId: "u1", email: "owner@example.com", name: null, role: "owner", isViewer: false },
  { membershipId: "m2", userId: "u2", email: "admin@example.com", name: "Ada", role: "admin", isViewer: false },
  { membershipId: "m3", userId: "u3", email: "member@example.com", name: null, role: "member", isViewer: false },
];
let viewerEmail = "";
/** What the server's canLeave answers: false for the last owner. */
let canLeave: boolean | undefined = true;
let status = "Exhausted";
const loadMore = vi.fn();
const remove = vi.fn(async () => null);

vi.mock("convex/react", () => ({
  usePaginatedQuery: () => ({
    results: rows.map((r) => ({ ...r, isViewer: r.email === viewerEmail })),
    status,
    loadMore,
  }),
  useQuery: () => canLeave,
  // Every mutation is `remove` here: the test below only removes.
  useMutation: () => remove,
}));

beforeEach(() => {
  canLeave = true;
  status = "Exhausted";
  loadMore.mockClear();
  remove.mockClear();
});
vi.mock("next/navigation", () => ({ useRouter: () => ({ replace: vi.fn(), push: vi.fn() }) }));

function renderAs(role: Role) {
  viewerEmail = `${role}@example.com`;
  const org = { orgId: "org1", name: "Acme", slug: "acme", role } as CurrentOrg;
  render(
    <OrgProvider value={org}>
      <MembersPage />
    </OrgProvider>,
  );
  const list = screen.getByRole("list", { name: "Members" });
  const row = (email: string) => within(list).getAllByTestId("member-row").find((r) => r.textContent?.includes(email))!;
  return { row };
}

describe("MembersPage", () => {
  test("a member sees everyone read-only: no add form, no role selects, no Remove", () => {
    const { row } = renderAs("member");
    expect(screen.queryByRole("form", { name: "Add member" })).not.toBeInTheDocument();
    expect(screen.queryAllByRole("combobox")).toHaveLength(0);
    expect(screen.queryByRole("button", { name: /^Remove/ })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Leave organization" })).toBeInTheDocument();
    expect(row("member@example.com")).toHaveTextContent("(you)");
    expect(within(row("member@example.com")).queryAllByRole("button")).toHaveLength(0);
  });

  test("an admin manages members and admins but not the owner, and cannot hand out owner", () => {
    const { row } = renderAs("admin");
    expect(screen.getByRole("form", { name: "Add member" })).toBeInTheDocument();
    const roleOptions = within(screen.getByLabelText("Role")).getAllByRole("option").map((o) => o.textContent);
    expect(roleOptions).toEqual(["admin", "member"]);
    expect(within(row("owner@example.com")).queryByRole("combobox")).not.toBeInTheDocument();
    expect(within(row("owner@example.com")).queryByRole("button", { name: /^Remove/ })).not.toBeInTheDocument();
    expect(within(row("member@example.com")).getByRole("combobox", { name: "Role of member@example.com" })).toBeInTheDocument();
    expect(within(row("member@example.com")).getByRole("button", { name: /^Remove/ })).toBeInTheDocument();
  });

  test("an owner manages everyone else and may hand out owner", () => {
    const { row } = renderAs("owner");
    const roleOptions = within(screen.getByLabelText("Role")).getAllByRole("option").map((o) => o.textContent);
    expect(roleOptions).toEqual(["owner", "admin", "member"]);
    expect(within(row("admin@example.com")).getByRole("button", { name: /^Remove/ })).toBeInTheDocument();
    expect(within(row("owner@example.com")).queryByRole("button", { name: /^Remove/ })).not.toBeInTheDocument();
  });

  test("the only owner is not offered Leave (they would be refused), and is told why", () => {
    canLeave = false;
    renderAs("owner");
    expect(screen.queryByRole("button", { name: "Leave organization" })).not.toBeInTheDocument();
    expect(screen.getByText(/only owner/)).toBeInTheDocument();
  });

  test("an owner with a co-owner is offered Leave, whichever rows are loaded", () => {
    canLeave = true;
    renderAs("owner");
    expect(screen.getByRole("button", { name: "Leave organization" })).toBeInTheDocument();
  });

  test("no Leave while the server has not answered yet", () => {
    canLeave = undefined;
    renderAs("member");
    expect(screen.queryByRole("button", { name: "Leave organization" })).not.toBeInTheDocument();
  });

  test("more members than one page: Show more loads the next page", async () => {
    status = "CanLoadMore";
    renderAs("member");
    await userEvent.click(screen.getByRole("button", { name: "Show more" }));
    expect(loadMore).toHaveBeenCalledWith(50);
  });

  test("every member loaded: no Show more", () => {
    renderAs("member");
    expect(screen.queryByRole("button", { name: "Show more" })).not.toBeInTheDocument();
  });

  test("while the first page loads, placeholders instead of rows", () => {
    status = "LoadingFirstPage";
    viewerEmail = "member@example.com";
    const org = { orgId: "org1", name: "Acme", slug: "acme", role: "member" } as CurrentOrg;
    render(
      <OrgProvider value={org}>
        <MembersPage />
      </OrgProvider>,
    );
    expect(screen.queryByRole("list", { name: "Members" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Show more" })).not.toBeInTheDocument();
  });
});

describe("confirming before a destructive action", () => {
  test("Remove asks in the app's own dialog, naming who; Cancel removes no one, Remove does", async () => {
    const { row } = renderAs("owner");
    const user = userEvent.setup();
    await user.click(within(row("member@example.com")).getByRole("button", { name: "Remove member@example.com" }));
    const dialog = screen.getByRole("dialog", { name: "Remove member@example.com?" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(remove).not.toHaveBeenCalled();
    await user.click(within(row("member@example.com")).getByRole("button", { name: "Remove member@example.com" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Remove" }));
    expect(remove).toHaveBeenCalledWith({ orgId: "org1", membershipId: "m3" });
  });
});
