import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { OrgProvider, type CurrentOrg } from "@/components/shell/org-context";
import type { Role } from "@/lib/roles";
import { OrgSettingsPage } from "./org-settings-page";

const { rename, changeSlug, remove } = vi.hoisted(() => ({ rename: vi.fn(), changeSlug: vi.fn(), remove: vi.fn() }));

vi.mock("convex/react", async () => {
  const { getFunctionName } = await import("convex/server");
  const byName: Record<string, unknown> = {
    "orgs/settings:rename": rename,
    "orgs/settings:changeSlug": changeSlug,
    "orgs/deletion:remove": remove,
  };
  const pick = (ref: Parameters<typeof getFunctionName>[0]) => byName[getFunctionName(ref)];
  return { useMutation: pick, useAction: pick };
});
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

beforeEach(() => {
  for (const fn of [rename, changeSlug, remove]) fn.mockReset();
});

function renderAs(role: Role) {
  const org = { orgId: "org1", name: "Acme Labs", slug: "acme", role } as CurrentOrg;
  render(
    <OrgProvider value={org}>
      <OrgSettingsPage />
    </OrgProvider>,
  );
}

describe("OrgSettingsPage", () => {
  test.each(["member", "admin"] as const)("a %s sees the name and address read-only, and no Delete", (role) => {
    renderAs(role);
    expect(screen.getByText("Acme Labs")).toBeInTheDocument();
    expect(screen.getByText("/o/acme")).toBeInTheDocument();
    expect(screen.queryAllByRole("textbox")).toHaveLength(0);
    expect(screen.queryAllByRole("button")).toHaveLength(0);
  });

  test("an owner renames; Save stays off until the name changes", async () => {
    rename.mockResolvedValue({ name: "Acme Inc" });
    renderAs("owner");
    const button = screen.getByRole("button", { name: "Rename organization" });
    expect(button).toBeDisabled();
    const field = screen.getByLabelText("Organization name");
    await userEvent.clear(field);
    await userEvent.type(field, "Acme Inc");
    await userEvent.click(button);
    expect(rename).toHaveBeenCalledWith({ orgId: "org1", name: "Acme Inc" });
  });

  test("the server's refusal shows under the field, tied to it", async () => {
    changeSlug.mockRejectedValue(new ConvexError({ code: "CONFLICT", message: "The address /o/globex is taken. Choose another." }));
    renderAs("owner");
    const field = screen.getByLabelText("Organization address");
    await userEvent.clear(field);
    await userEvent.type(field, "globex");
    await userEvent.click(screen.getByRole("button", { name: "Change address" }));
    expect(changeSlug).toHaveBeenCalledWith({ orgId: "org1", slug: "globex" });
    const error = await screen.findByText("The address /o/globex is taken. Choose another.");
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(field.getAttribute("aria-describedby")).toContain(error.id);
  });

  test("a plain mistake is caught before anything is sent", async () => {
    renderAs("owner");
    const field = screen.getByLabelText("Organization address");
    await userEvent.clear(field);
    await userEvent.type(field, "acme labs");
    await userEvent.click(screen.getByRole("button", { name: "Change address" }));
    expect(await screen.findByText("Use only letters a–z, digits and dashes.")).toBeInTheDocument();
    expect(changeSlug).not.toHaveBeenCalled();
  });

  test("deleting needs the organization's name typed exactly before the button works", async () => {
    remove.mockResolvedValue({ connections: 0, revocationsPending: 0 });
    renderAs("owner");
    await userEvent.click(screen.getByRole("button", { name: "Delete organization" }));
    const dialog = screen.getByRole("dialog", { name: "Delete Acme Labs?" });
    const confirmButton = within(dialog).getByRole("button", { name: "Delete organization" });
    const typed = within(dialog).getByLabelText(/to confirm/);
    expect(confirmButton).toBeDisabled();
    await userEvent.type(typed, "acme labs");
    expect(confirmButton).toBeDisabled();
    await userEvent.clear(typed);
    await userEvent.type(typed, "Acme Labs");
    expect(confirmButton).toBeEnabled();
    await userEvent.click(confirmButton);
    expect(remove).toHaveBeenCalledWith({ orgId: "org1", confirmName: "Acme Labs" });
  });
});
