import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { CreateOrgDialog } from "./create-org-dialog";

const create = vi.fn();
const router = { push: vi.fn(), replace: vi.fn() };
vi.mock("convex/react", () => ({ useMutation: () => create }));
vi.mock("next/navigation", () => ({ useRouter: () => router }));

beforeEach(() => {
  create.mockReset();
  router.push.mockReset();
});

async function open() {
  render(<CreateOrgDialog trigger={<button>New</button>} />);
  await userEvent.click(screen.getByRole("button", { name: "New" }));
  return screen.getByLabelText("Name");
}

describe("CreateOrgDialog", () => {
  test("a name the viewer already has is warned about; submitting it again confirms it", async () => {
    create
      .mockRejectedValueOnce(
        new ConvexError({ code: "DUPLICATE_NAME", message: "You already have an organization named Acme (/o/acme).", field: "name" }),
      )
      .mockResolvedValueOnce({ orgId: "o2", slug: "acme-2" });
    const field = await open();
    await userEvent.type(field, "Acme");
    await userEvent.click(screen.getByRole("button", { name: "Create organization" }));
    expect(create).toHaveBeenLastCalledWith({ name: "Acme", confirmDuplicateName: false });
    expect(await screen.findByRole("status")).toHaveTextContent("You already have an organization named Acme (/o/acme).");
    await userEvent.click(screen.getByRole("button", { name: "Create another Acme" }));
    expect(create).toHaveBeenLastCalledWith({ name: "Acme", confirmDuplicateName: true });
    expect(router.push).toHaveBeenCalledWith("/o/acme-2/settings/integrations");
  });

  test("changing the name after the warning asks afresh", async () => {
    create.mockRejectedValueOnce(new ConvexError({ code: "DUPLICATE_NAME", message: "You already have an organization named Acme (/o/acme)." }));
    create.mockResolvedValueOnce({ orgId: "o2", slug: "acme-eu" });
    const field = await open();
    await userEvent.type(field, "Acme");
    await userEvent.click(screen.getByRole("button", { name: "Create organization" }));
    await screen.findByRole("status");
    await userEvent.type(field, " EU");
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Create organization" }));
    expect(create).toHaveBeenLastCalledWith({ name: "Acme EU", confirmDuplicateName: false });
  });
});
