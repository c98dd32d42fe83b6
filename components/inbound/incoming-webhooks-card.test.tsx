import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { OrgProvider, type CurrentOrg } from "@/components/shell/org-context";
import { INBOUND_PROVIDERS } from "@/lib/inbound/providers";
import type { Role } from "@/lib/roles";
import { IncomingWebhooksCard } from "./incoming-webhooks-card";

const slack = INBOUND_PROVIDERS.slack!;
const notion = INBOUND_PROVIDERS.notion!;

const { state, reveal, create, subscribe } = vi.hoisted(() => ({
  state: { setup: null as unknown, endpoints: [] as unknown[] },
  reveal: vi.fn(),
  create: vi.fn(),
  subscribe: vi.fn(),
}));

vi.mock("convex/react", async () => {
  const { getFunctionName } = await import("convex/server");
  type Ref = Parameters<typeof getFunctionName>[0];
  const functions: Record<string, unknown> = {
    "webhooks/inbound/endpoints:revealVerificationToken": reveal,
    "webhooks/inbound/endpoints:create": create,
    "webhooks/inbound/subscriptions:subscribe": subscribe,
  };
  return {
    useQuery: (ref: Ref) => (getFunctionName(ref) === "webhooks/inbound/endpoints:setup" ? state.setup : state.endpoints),
    useMutation: (ref: Ref) => functions[getFunctionName(ref)] ?? vi.fn(),
    useAction: (ref: Ref) => functions[getFunctionName(ref)] ?? vi.fn(),
  };
});
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

const slackSetup = (configured: boolean) => ({
  providerId: "slack",
  appUrl: "https://site.test/webhooks/slack",
  appSecret: { env: slack.app!.secretEnv, what: slack.app!.what, configured },
  pasted: { where: slack.pasted!.where, steps: [...slack.pasted!.steps] },
  registered: false,
  perEndpoint: false,
});

const notionEndpoint = (revealPending: boolean) => ({
  _id: "ep1",
  publicId: "ie_n",
  providerId: "notion",
  description: "Team wiki",
  url: "https://site.test/webhooks/notion/ie_n",
  state: revealPending ? "active" : "awaiting_handshake",
  revealPending,
  connectionId: null,
  subscription: null,
  failedVerifications: 1,
  lastFailureAt: Date.now() - 60_000,
  lastFailureReason: "awaiting_handshake",
  createdAt: 0,
});

beforeEach(() => {
  reveal.mockReset();
  create.mockReset();
  state.endpoints = [];
});

function renderAs(role: Role, providerId: string, providerName: string) {
  const org = { orgId: "org1", name: "Acme", slug: "acme", role } as CurrentOrg;
  return render(
    <OrgProvider value={org}>
      <IncomingWebhooksCard providerId={providerId} providerName={providerName} />
    </OrgProvider>,
  );
}

describe("IncomingWebhooksCard", () => {
  test("is a region named Incoming webhooks with the app URL to copy and the steps in order", () => {
    state.setup = slackSetup(true);
    renderAs("member", "slack", "Slack");
    const card = screen.getByRole("region", { name: "Incoming webhooks" });
    expect(within(card).getByText("https://site.test/webhooks/slack")).toBeInTheDocument();
    expect(within(card).getByRole("button", { name: "Copy Slack webhook URL" })).toBeInTheDocument();
    expect(card).toHaveTextContent("In Slack app settings → Event Subscriptions:");
    const steps = within(within(card).getByRole("list", { name: /^Steps in/ })).getAllByRole("listitem");
    expect(steps.map((li) => li.textContent)).toEqual([...slack.pasted!.steps]);
    expect(within(card).getByRole("link", { name: "Events from Slack" })).toHaveAttribute("href", "/o/acme/settings/events?provider=slack");
  });

  test("an admin is told which variable to set on the deployment, and with what", () => {
    state.setup = slackSetup(false);
    renderAs("admin", "slack", "Slack");
    expect(screen.getByTestId("inbound-secret-status")).toHaveTextContent(
      "Set SLACK_SIGNING_SECRET on the deployment: the Slack app's signing secret (Basic Information → App Credentials).",
    );
  });

  test("a member only sees whether it is set up, never the variable", () => {
    state.setup = slackSetup(false);
    const { unmount } = renderAs("member", "slack", "Slack");
    expect(screen.getByTestId("inbound-secret-status")).toHaveTextContent("Not set up yet");
    expect(document.body).not.toHaveTextContent("SLACK_SIGNING_SECRET");
    unmount();
    state.setup = slackSetup(true);
    renderAs("member", "slack", "Slack");
    expect(screen.getByTestId("inbound-secret-status")).toHaveTextContent("Set up: deliveries to this URL are verified.");
    expect(document.body).not.toHaveTextContent("SLACK_SIGNING_SECRET");
  });

  test("nothing for a provider that sends no webhooks", () => {
    state.setup = null;
    const { container } = renderAs("admin", "gmail", "Gmail");
    expect(container).toBeEmptyDOMElement();
  });

  describe("Notion", () => {
    const notionSetup = { providerId: "notion", appUrl: null, appSecret: null, pasted: { ...notion.pasted!, steps: [...notion.pasted!.steps] }, registered: false, perEndpoint: true };

    test("an admin makes a Notion endpoint; until Notion sends its token there is nothing to show", async () => {
      state.setup = notionSetup;
      state.endpoints = [notionEndpoint(false)];
      create.mockResolvedValue({ endpointId: "ep2", publicId: "ie_m", url: "https://site.test/webhooks/notion/ie_m", secret: null });
      renderAs("admin", "notion", "Notion");
      expect(screen.queryByRole("button", { name: "Show verification token" })).not.toBeInTheDocument();
      expect(screen.getByTestId("inbound-endpoint")).toHaveTextContent("Waiting for handshake");
      expect(screen.getByTestId("refused-deliveries")).toHaveTextContent("1 delivery refused. Last, 1 minute ago: It arrived before the provider's handshake");
      await userEvent.click(screen.getByRole("button", { name: "New Notion endpoint" }));
      await userEvent.type(screen.getByLabelText("Description"), "Docs");
      await userEvent.click(screen.getByRole("button", { name: "Make endpoint" }));
      expect(create).toHaveBeenCalledExactlyOnceWith({ orgId: "org1", providerId: "notion", description: "Docs" });
      expect(screen.queryByLabelText("Signing secret")).not.toBeInTheDocument();
    });

    test("once Notion sent its token, an admin shows it once", async () => {
      state.setup = notionSetup;
      state.endpoints = [notionEndpoint(true)];
      reveal.mockResolvedValue({ token: "secret_notion_token" });
      renderAs("admin", "notion", "Notion");
      await userEvent.click(screen.getByRole("button", { name: "Show verification token" }));
      expect(reveal).toHaveBeenCalledExactlyOnceWith({ orgId: "org1", endpointId: "ep1" });
      const shown = await screen.findByRole("dialog", { name: "Notion's verification token" });
      expect(within(shown).getByLabelText("Verification token")).toHaveValue("secret_notion_token");
    });

    test("a member sees the endpoints but can neither make one nor show a token", () => {
      state.setup = notionSetup;
      state.endpoints = [notionEndpoint(true)];
      renderAs("member", "notion", "Notion");
      expect(screen.getByTestId("inbound-endpoint")).toHaveTextContent("Team wiki");
      expect(screen.queryByRole("button", { name: /New Notion endpoint|Show verification token|Remove/ })).not.toBeInTheDocument();
    });
  });
});

describe("a provider registered by API", () => {
  const githubSetup = { providerId: "github", appUrl: "https://site.test/webhooks/github", appSecret: null, pasted: null, registered: true, perEndpoint: false };

  test("an admin subscribes a repository; the provider's refusal shows under the field in its words", async () => {
    state.setup = githubSetup;
    state.endpoints = [];
    subscribe.mockReset();
    subscribe.mockRejectedValueOnce(new ConvexError({ code: "INVALID_INPUT", message: "GitHub refused: Validation Failed: Hook already exists on this repository", field: "resource" }));
    renderAs("admin", "github", "GitHub");
    const form = screen.getByRole("form", { name: "Subscribe to GitHub webhooks" });
    await userEvent.type(within(form).getByLabelText("Subscribe to"), " octo-org/app ");
    await userEvent.click(within(form).getByRole("button", { name: "Subscribe" }));
    expect(subscribe).toHaveBeenCalledExactlyOnceWith({ orgId: "org1", providerId: "github", resource: "octo-org/app" });
    expect(await within(form).findByRole("alert")).toHaveTextContent("Hook already exists");
    expect(within(form).getByLabelText("Subscribe to")).toHaveAttribute("aria-invalid", "true");

    subscribe.mockResolvedValueOnce({ endpointId: "ep9", publicId: "ie_9", url: "https://site.test/webhooks/github/ie_9" });
    await userEvent.click(within(form).getByRole("button", { name: "Subscribe" }));
    expect(subscribe).toHaveBeenCalledTimes(2);
    expect(within(form).queryByRole("alert")).not.toBeInTheDocument();
    expect(within(form).getByLabelText("Subscribe to")).toHaveValue("");
  });

  test("members see no Subscribe", () => {
    state.setup = githubSetup;
    renderAs("member", "github", "GitHub");
    expect(screen.queryByRole("form", { name: "Subscribe to GitHub webhooks" })).not.toBeInTheDocument();
  });
});
