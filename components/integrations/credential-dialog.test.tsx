import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, test, vi } from "vitest";
import type { FormProvider } from "@/lib/connect/credential-form";
import { getProviderOrThrow } from "@/lib/providers";
import type { Id } from "@/convex/_generated/dataModel";
import { PublicConfigProvider, type PublicConfig } from "@/components/app/public-config";
import { CredentialDialog } from "./credential-dialog";

// The dialog's one server call; each test decides what the server answers.
let connect = vi.fn();
vi.mock("convex/react", () => ({ useAction: () => (args: unknown) => connect(args) }));

const wordpress = getProviderOrThrow("wordpress") as FormProvider;
const customWebhook = getProviderOrThrow("custom-webhook") as FormProvider;
const pumble = getProviderOrThrow("pumble") as FormProvider;
const orgId = "org1" as Id<"organizations">;
const normal: PublicConfig = { convexUrl: "https://example.convex.cloud", simulatedProviders: false };
const simulated: PublicConfig = { ...normal, simulatedProviders: true };

function renderDialog(provider: FormProvider, onConnected = vi.fn(), config = normal) {
  render(
    <PublicConfigProvider config={config}>
      <CredentialDialog orgId={orgId} provider={provider} open onOpenChange={vi.fn()} onConnected={onConnected} />
    </PublicConfigProvider>,
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

describe("CredentialDialog and the provider simulator", () => {
  const loopbackSite = "http://127.0.0.1:4010/wordpress";

  async function submitWordPress(config: PublicConfig) {
    connect.mockImplementation(async () => ({ accountName: "Editor" }));
    renderDialog(wordpress, vi.fn(), config);
    await userEvent.type(field(/site/i), loopbackSite);
    await userEvent.type(field(/username/i), "editor");
    await userEvent.type(field(/application password/i), "right pass");
    await userEvent.click(screen.getByRole("button", { name: "Connect" }));
  }

  test("in simulated mode a loopback site address is sent to the server", async () => {
    await submitWordPress(simulated);
    await vi.waitFor(() =>
      expect(connect).toHaveBeenCalledWith({
        orgId,
        providerId: "wordpress",
        values: { siteUrl: loopbackSite, username: "editor", applicationPassword: "right pass" },
      }),
    );
    expect(field(/site/i)).not.toHaveAttribute("aria-invalid");
  });

  test("otherwise a loopback site address is refused before anything is sent", async () => {
    await submitWordPress(normal);
    expect(field(/site/i)).toHaveAttribute("aria-invalid", "true");
    expect(errorOf(/site/i)).toHaveTextContent("That address points at this server; use the public address.");
    expect(connect).not.toHaveBeenCalled();
  });

  test("in simulated mode a webhook's URL prefix is left to the server, which knows where the simulator put it", async () => {
    connect.mockImplementation(async () => ({ accountName: "Pumble" }));
    renderDialog(pumble, vi.fn(), simulated);
    await userEvent.type(field(/webhook url/i), "http://127.0.0.1:4010/pumble/workspaces/w1/hook");
    await userEvent.click(screen.getByRole("button", { name: "Connect" }));
    await vi.waitFor(() => expect(connect).toHaveBeenCalledTimes(1));
  });

  test("otherwise a webhook URL outside the provider's prefix is refused", async () => {
    renderDialog(pumble);
    await userEvent.type(field(/webhook url/i), "https://hooks.example.com/pumble");
    await userEvent.click(screen.getByRole("button", { name: "Connect" }));
    expect(errorOf(/webhook url/i)).toHaveTextContent("must start with https://api.pumble.com/workspaces/");
    expect(connect).not.toHaveBeenCalled();
  });
});
