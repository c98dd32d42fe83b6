import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { OrgProvider, type CurrentOrg } from "@/components/shell/org-context";
import type { Role } from "@/lib/roles";
import { EventsPage } from "./events-page";

const now = Date.now();
const summary = () => eventSummary;
const eventSummary = {
  _id: "ev1",
  providerId: "github",
  type: "github.issues.opened",
  deliveryId: "d-123",
  status: "dead",
  attempts: 5,
  receivedAt: now - 3 * 60_000,
  processedAt: null,
  nextAttemptAt: null,
  lastError: "The workflow's step failed.",
  lifecycle: null,
};
const detail = {
  ...eventSummary,
  verification: "X-Hub-Signature-256 (HMAC-SHA256)",
  headers: { "content-type": "application/json", "x-hub-signature-256": "[REDACTED]" },
  payload: '{"action":"opened","issue":{"number":7}',
  payloadBytes: 200_000,
  payloadTruncated: true,
  outcome: null,
  replays: 1,
  endpoint: { publicId: "ie_x", description: "Acme repo hook" },
  connectionId: "c1",
};
const endpoints = [
  {
    _id: "ep1",
    publicId: "ie_a",
    providerId: "custom-webhook",
    description: "Billing system",
    url: "https://site.test/webhooks/custom-webhook/ie_a",
    state: "active",
    revealPending: false,
    connectionId: null,
    subscription: null,
    failedVerifications: 3,
    lastFailureAt: now - 2 * 3_600_000,
    lastFailureReason: "stale_timestamp",
    createdAt: now - 86_400_000,
  },
  {
    _id: "ep2",
    publicId: "ie_b",
    providerId: "github",
    description: "Acme repo hook",
    url: "https://site.test/webhooks/github/ie_b",
    state: "active",
    revealPending: false,
    connectionId: "c1",
    subscription: { externalId: "42", resource: "acme/app", expiresAt: null, lastRenewedAt: null, lastError: null },
    failedVerifications: 0,
    lastFailureAt: null,
    lastFailureReason: null,
    createdAt: now - 86_400_000,
  },
];

const { replay, create, remove, reveal, rotate, unsubscribe, listArgs, page } = vi.hoisted(() => ({
  page: { empty: false, status: "Exhausted" },
  rotate: vi.fn(),
  unsubscribe: vi.fn(),
  replay: vi.fn(),
  create: vi.fn(),
  remove: vi.fn(),
  reveal: vi.fn(),
  listArgs: [] as unknown[],
}));

vi.mock("convex/react", async () => {
  const { getFunctionName } = await import("convex/server");
  type Ref = Parameters<typeof getFunctionName>[0];
  // Read at render, when the fixtures above exist (the factory runs first).
  const queries = (): Record<string, unknown> => ({
    "webhooks/inbound/events:get": detail,
    "webhooks/inbound/endpoints:list": endpoints,
  });
  const functions: Record<string, unknown> = {
    "webhooks/inbound/events:replay": replay,
    "webhooks/inbound/endpoints:create": create,
    "webhooks/inbound/endpoints:remove": remove,
    "webhooks/inbound/endpoints:revealVerificationToken": reveal,
    "webhooks/inbound/endpoints:rotateSecret": rotate,
    "webhooks/inbound/subscriptions:unsubscribe": unsubscribe,
  };
  return {
    useQuery: (ref: Ref) => queries()[getFunctionName(ref)],
    usePaginatedQuery: (_ref: Ref, args: unknown) => {
      listArgs.push(args);
      return { results: page.empty ? [] : [summary()], status: page.status, loadMore: vi.fn() };
    },
    useMutation: (ref: Ref) => functions[getFunctionName(ref)],
    useAction: (ref: Ref) => functions[getFunctionName(ref)],
  };
});
vi.mock("next/navigation", () => ({ useSearchParams: () => new URLSearchParams("provider=github") }));
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

beforeEach(() => {
  for (const fn of [replay, create, remove, reveal, rotate, unsubscribe]) fn.mockReset();
  listArgs.length = 0;
  page.empty = false;
  page.status = "Exhausted";
});

function renderAs(role: Role) {
  const org = { orgId: "org1", name: "Acme", slug: "acme", role } as CurrentOrg;
  render(
    <OrgProvider value={org}>
      <EventsPage />
    </OrgProvider>,
  );
}

async function openDetail() {
  await userEvent.click(screen.getByRole("button", { name: /^Open github\.issues\.opened/ }));
  return screen.getByRole("dialog");
}

describe("EventsPage: the list", () => {
  test("each row says when, which provider, the type, the status in words and the attempts", () => {
    renderAs("member");
    const row = screen.getByTestId("event-row");
    const cells = within(row).getAllByRole("cell").map((cell) => cell.textContent);
    expect(cells).toEqual(["3 minutes ago", "GitHub", "github.issues.opened", "Dead", "5"]);
    expect(screen.getAllByRole("columnheader").map((th) => th.textContent)).toEqual(["When", "Provider", "Type", "Status", "Attempts"]);
  });

  test("filters go to the query: the provider from ?provider=, the status chosen, the exact type typed", async () => {
    renderAs("member");
    expect(screen.getByLabelText("Provider")).toHaveValue("github");
    expect(listArgs.at(-1)).toEqual({ orgId: "org1", filter: { providerId: "github" } });
    await userEvent.selectOptions(screen.getByLabelText("Status"), "Retrying");
    expect(listArgs.at(-1)).toEqual({ orgId: "org1", filter: { providerId: "github", status: "failed" } });
    await userEvent.type(screen.getByLabelText("Type"), " github.push ");
    await vi.waitFor(() => expect(listArgs.at(-1)).toEqual({ orgId: "org1", filter: { providerId: "github", status: "failed", type: "github.push" } }));
  });

  test("empty: says why, and when filters leave a page empty that older events may still match", async () => {
    page.empty = true;
    renderAs("member");
    await userEvent.selectOptions(screen.getByLabelText("Provider"), "");
    expect(screen.getByText("No events yet. Deliveries appear here as providers send them.")).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText("Status"), "Dead");
    expect(screen.getByText("No events match these filters.")).toBeInTheDocument();
    page.status = "CanLoadMore";
    await userEvent.selectOptions(screen.getByLabelText("Status"), "Processed");
    expect(screen.getByText(/None of the newest events match these filters/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Load more" })).toBeInTheDocument();
  });

  test("while the first page loads, placeholders stand in for rows", () => {
    page.status = "LoadingFirstPage";
    page.empty = true;
    renderAs("member");
    expect(screen.queryByTestId("event-row")).not.toBeInTheDocument();
    expect(document.querySelector('[aria-busy="true"]')).not.toBeNull();
  });

  test("a click anywhere on a row opens its detail", async () => {
    renderAs("member");
    await userEvent.click(within(screen.getByTestId("event-row")).getByText("GitHub"));
    expect(screen.getByRole("dialog", { name: "github.issues.opened" })).toBeInTheDocument();
  });
});

describe("EventsPage: an event's detail", () => {
  test("a member reads the verification, the redacted headers, the truncated payload and the error, with no Replay", async () => {
    renderAs("member");
    const dialog = await openDetail();
    expect(dialog).toHaveTextContent("Passed: X-Hub-Signature-256 (HMAC-SHA256)");
    const signature = within(dialog).getByRole("row", { name: /x-hub-signature-256/ });
    expect(within(signature).getAllByRole("cell")[1]).toHaveTextContent(/^\[REDACTED\]$/);
    expect(within(dialog).getByTestId("payload-truncated")).toHaveTextContent("only the first 64 KB of this 195 KB delivery are stored");
    expect(within(dialog).getByLabelText("Payload")).toHaveTextContent('{"action":"opened","issue":{"number":7}');
    expect(dialog).toHaveTextContent("The workflow's step failed.");
    expect(dialog).toHaveTextContent("Replayed 1 time");
    expect(dialog).toHaveTextContent("Nothing yet: processing has not finished.");
    expect(within(dialog).queryByRole("button", { name: /Replay/ })).not.toBeInTheDocument();
  });

  test("an admin's Replay calls the mutation once and says so beside it", async () => {
    replay.mockResolvedValue(null);
    renderAs("admin");
    const dialog = await openDetail();
    await userEvent.click(within(dialog).getByRole("button", { name: "Replay" }));
    expect(replay).toHaveBeenCalledExactlyOnceWith({ orgId: "org1", eventId: "ev1" });
    expect(dialog).toHaveTextContent("Replaying: processing runs once more.");
  });

  test("a refused Replay is explained in the server's words", async () => {
    replay.mockRejectedValue(new ConvexError({ code: "CONFLICT", message: "This event is being processed; replay it once it is done." }));
    renderAs("admin");
    const dialog = await openDetail();
    await userEvent.click(within(dialog).getByRole("button", { name: "Replay" }));
    expect(within(dialog).getByRole("alert")).toHaveTextContent("This event is being processed; replay it once it is done.");
  });

  test("closing the detail returns focus to the row's button", async () => {
    renderAs("member");
    const opener = screen.getByRole("button", { name: /^Open github\.issues\.opened/ });
    await openDetail();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });
});

describe("EventsPage: endpoints", () => {
  test("each endpoint shows its URL to copy and its refused deliveries with the last reason in words", () => {
    renderAs("member");
    const [billing, hook] = screen.getAllByTestId("inbound-endpoint");
    expect(billing).toHaveTextContent("https://site.test/webhooks/custom-webhook/ie_a");
    expect(within(billing!).getByRole("button", { name: "Copy URL of Billing system" })).toBeInTheDocument();
    expect(within(billing!).getByTestId("refused-deliveries")).toHaveTextContent(
      "3 deliveries refused. Last, 2 hours ago: The request's timestamp is too far from now",
    );
    expect(within(hook!).getByTestId("refused-deliveries")).toHaveTextContent("No deliveries refused.");
    expect(hook).toHaveTextContent("Registered at GitHub, watching acme/app.");
  });

  test("members cannot make or remove endpoints", () => {
    renderAs("member");
    expect(screen.queryByRole("button", { name: "New endpoint" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Remove/ })).not.toBeInTheDocument();
  });

  test("an admin removes a hand-made endpoint after confirming; a registered subscription has no Remove here", async () => {
    remove.mockResolvedValue(null);
    renderAs("admin");
    expect(screen.queryByRole("button", { name: "Remove Acme repo hook" })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Remove Billing system" }));
    expect(remove).not.toHaveBeenCalled();
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Remove endpoint" }));
    expect(remove).toHaveBeenCalledExactlyOnceWith({ orgId: "org1", endpointId: "ep1" });
  });

  test("an admin unsubscribes a registered subscription after confirming; a hand-made endpoint has no Unsubscribe", async () => {
    unsubscribe.mockResolvedValue(null);
    renderAs("admin");
    expect(screen.queryByRole("button", { name: "Unsubscribe Billing system" })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Unsubscribe Acme repo hook" }));
    expect(unsubscribe).not.toHaveBeenCalled();
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Unsubscribe" }));
    expect(unsubscribe).toHaveBeenCalledExactlyOnceWith({ orgId: "org1", endpointId: "ep2" });
  });

  test("an admin rotates a Standard Webhooks endpoint's secret after confirming and sees the new one once; a provider's endpoint has no Rotate", async () => {
    rotate.mockResolvedValue({ secret: "whsec_bmV3c2VjcmV0", previousExpiresAt: now + 86_400_000 });
    renderAs("admin");
    expect(screen.queryByRole("button", { name: "Rotate the secret of Acme repo hook" })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Rotate the secret of Billing system" }));
    expect(rotate).not.toHaveBeenCalled();
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Rotate secret" }));
    expect(rotate).toHaveBeenCalledExactlyOnceWith({ orgId: "org1", endpointId: "ep1" });
    const shown = await screen.findByRole("dialog", { name: "Secret rotated" });
    expect(within(shown).getByLabelText("Signing secret")).toHaveValue("whsec_bmV3c2VjcmV0");
  });

  test("an admin's new Standard Webhooks endpoint shows its whsec_ secret once", async () => {
    create.mockResolvedValue({ endpointId: "ep3", publicId: "ie_c", url: "https://site.test/webhooks/custom-webhook/ie_c", secret: "whsec_c2VjcmV0" });
    renderAs("admin");
    await userEvent.click(screen.getByRole("button", { name: "New endpoint" }));
    await userEvent.type(screen.getByLabelText("Description"), "CI server");
    await userEvent.click(screen.getByRole("button", { name: "Make endpoint" }));
    expect(create).toHaveBeenCalledExactlyOnceWith({ orgId: "org1", providerId: "custom-webhook", description: "CI server" });
    const shown = await screen.findByRole("dialog", { name: "Endpoint made" });
    expect(within(shown).getByLabelText("Signing secret")).toHaveValue("whsec_c2VjcmV0");
    await userEvent.click(within(shown).getByRole("button", { name: "Done" }));
    expect(screen.queryByDisplayValue("whsec_c2VjcmV0")).not.toBeInTheDocument();
  });

  test("the server's refusal of a description shows under the field", async () => {
    create.mockRejectedValue(new ConvexError({ code: "INVALID_INPUT", message: "Say what sends to this endpoint.", field: "description" }));
    renderAs("admin");
    await userEvent.click(screen.getByRole("button", { name: "New endpoint" }));
    await userEvent.click(screen.getByRole("button", { name: "Make endpoint" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Say what sends to this endpoint.");
    expect(screen.getByLabelText("Description")).toHaveAttribute("aria-invalid", "true");
  });
});
