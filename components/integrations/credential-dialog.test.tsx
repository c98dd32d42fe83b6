import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, test, vi } from "vitest";
import type { FormProvider } from "@/lib/connect/credential-form";
import { getProviderOrThrow } from "@/lib/providers";
import type { Id } from "@/convex/_generated/dataModel";
import { CredentialDialog } from "./credential-dialog";

// The dialog's one server call; each test decides what the server answers.
let connect = vi.fn();
vi.mock("convex/react", () => ({ useAction: () => (args: unknown) => connect(args) }));

const wordpress = getProviderOrThrow("wordpress") as FormProvider;
const customWebhook = getProviderOrThrow("custom-webhook") as FormProvider;
const orgId = "org1" as Id<"organizations">;

function renderDialog(provider: FormProvider, onConnected = vi.fn()) {
  render(
    <CredentialDialog
      orgId={orgId}
      provider={provider}
      open
      allowLoopback={false}
      onOpenChange={vi.fn()}
      onConnected={onConnected}
    />,
  );
  return { onConnected };
}

const field = (name: RegExp) => screen.getByLabelText(name);
/** The inline error under a field, found through the field's aria-describedby. */
const errorOf = (name: RegExp) => {
  const ids = field(name).getAttribute("aria-describedby")?.split(" ") ?? [];
  return ids.map((id) => document.getElementById(id)).find((el) => el?.id.endsWith("-error")) ?? null;
};

beforeEach(() => {
  connect = vi.fn();
});

describe("CredentialDialog for WordPress", () => {
  test("is built from the catalog's fields, with the application-password guide linked", () => {
    renderDialog(wordpress);
    expect(screen.getByRole("heading", { name: "Connect WordPress" })).toBeInTheDocument();
    for (const f of wordpress.fields) expect(screen.getByLabelText(new RegExp(f.label))).toBeInTheDocument();
    expect(screen.getAllByRole("link", { name: /learn more/i }).map((a) => a.getAttribute("href"))).toContain(
      "https://make.wordpress.org/core/2020/11/05/application-passwords-integration-guide/",
    );
  });

  test("a missing field is reported inline and nothing is sent", async () => {
    renderDialog(wordpress);
    await userEvent.click(screen.getByRole("button", { name: "Connect" }));
    expect(errorOf(/site/i)).toHaveTextContent("Site URL is required.");
    expect(connect).not.toHaveBeenCalled();
  });

  test("an http site address is refused before anything is sent", async () => {
    renderDialog(wordpress);
    await userEvent.type(field(/site/i), "http://blog.example.com");
    await userEvent.type(field(/username/i), "editor");
    await userEvent.type(field(/application password/i), "abcd efgh");
    await userEvent.click(screen.getByRole("button", { name: "Connect" }));
    expect(field(/site/i)).toHaveAttribute("aria-invalid", "true");
    expect(errorOf(/site/i)).toHaveTextContent(/HTTPS/);
    expect(connect).not.toHaveBeenCalled();
  });

  test("the server's refusal is shown, and the button is busy while verifying", async () => {
    let reject!: (error: unknown) => void;
    connect.mockImplementation(() => new Promise((_, r) => (reject = r)));
    renderDialog(wordpress);
    await userEvent.type(field(/site/i), "https://blog.example.com");
    await userEvent.type(field(/username/i), "editor");
    await userEvent.type(field(/application password/i), "wrong pass");
    await userEvent.click(screen.getByRole("button", { name: "Connect" }));
    expect(screen.getByRole("button", { name: "Verifying…" })).toBeDisabled();
    reject(Object.assign(new Error("x"), { data: { code: "CREDENTIALS_REJECTED", message: "WordPress refused these credentials." } }));
    expect(await screen.findByRole("alert")).toHaveTextContent("WordPress refused these credentials.");
    expect(connect).toHaveBeenCalledWith({
      orgId,
      providerId: "wordpress",
      values: { siteUrl: "https://blog.example.com", username: "editor", applicationPassword: "wrong pass" },
    });
  });

  test("a server error about one field lands on that field", async () => {
    connect.mockImplementation(async () => {
      throw Object.assign(new Error("x"), {
        data: { code: "INVALID_INPUT", message: "That address is on a private network.", field: "siteUrl" },
      });
    });
    renderDialog(wordpress);
    await userEvent.type(field(/site/i), "https://intranet.example.com");
    await userEvent.type(field(/username/i), "editor");
    await userEvent.type(field(/application password/i), "pass");
    await userEvent.click(screen.getByRole("button", { name: "Connect" }));
    await vi.waitFor(() => expect(errorOf(/site/i)).toHaveTextContent("That address is on a private network."));
    expect(field(/site/i)).toHaveAttribute("aria-invalid", "true");
  });

  test("on success it reports the account", async () => {
    connect.mockImplementation(async () => ({ accountName: "Editor" }));
    const { onConnected } = renderDialog(wordpress);
    await userEvent.type(field(/site/i), "https://blog.example.com");
    await userEvent.type(field(/username/i), "editor");
    await userEvent.type(field(/application password/i), "right pass");
    await userEvent.click(screen.getByRole("button", { name: "Connect" }));
    await vi.waitFor(() => expect(onConnected).toHaveBeenCalledWith("Editor"));
  });
});

describe("CredentialDialog for a custom webhook", () => {
  test("shows the fields of the chosen authentication mode only", async () => {
    renderDialog(customWebhook);
    expect(screen.queryByLabelText(/token/i)).not.toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText(/authentication/i), "bearer");
    expect(screen.getByLabelText(/token/i)).toBeInTheDocument();
  });
});
