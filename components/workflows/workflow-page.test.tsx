import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { OrgProvider, type CurrentOrg } from "@/components/shell/org-context";
import type { Id } from "@/convex/_generated/dataModel";
import type { Role } from "@/lib/roles";
import { WorkflowPage } from "./workflow-page";

const backend = vi.hoisted(() => ({
  saved: null as unknown,
  create: vi.fn(),
  update: vi.fn(),
  setEnabled: vi.fn(),
}));

vi.mock("convex/react", async () => {
  const { getFunctionName } = await import("convex/server");
  return {
    useQuery: (ref: never, args: unknown) => {
      if (args === "skip") return undefined;
      const name = getFunctionName(ref);
      if (name === "workflows/definitions:get") return backend.saved;
      if (name === "providerActions/catalog:available") return [];
      return undefined;
    },
    usePaginatedQuery: () => ({ results: [], status: "Exhausted", loadMore: vi.fn() }),
    useMutation: (ref: never) => {
      const name = getFunctionName(ref);
      if (name === "workflows/definitions:create") return backend.create;
      if (name === "workflows/definitions:update") return backend.update;
      if (name === "workflows/definitions:setEnabled") return backend.setEnabled;
      return vi.fn();
    },
    useAction: () => vi.fn(),
  };
});
vi.mock("next/navigation", () => ({ useRouter: () => ({ replace: vi.fn(), push: vi.fn() }) }));

const eventWorkflow = {
  id: "w1",
  name: "Issues to Slack",
  description: null,
  trigger: {
    kind: "event",
    eventType: "github.issues.opened",
    filters: [
      { path: "issue.state", equals: "open" },
      { path: "issue.number", equals: 7 },
    ],
    sampleEvent: { eventId: "evt_example", type: "github.issues.opened", payload: { issue: { title: "Example" } } },
  },
  steps: [],
  enabled: true,
  createdAt: 0,
  updatedAt: 0,
  nextRunAt: null,
  lastRun: null,
};

function renderAs(role: Role, workflowId?: string) {
  render(
    <OrgProvider value={{ orgId: "org1", name: "Acme", slug: "acme", role } as CurrentOrg}>
      <WorkflowPage workflowId={workflowId as Id<"workflows"> | undefined} />
    </OrgProvider>,
  );
}

beforeEach(() => {
  backend.saved = null;
  backend.create.mockReset();
  backend.update.mockReset();
});

describe("the event trigger in the workflow editor", () => {
  test("a saved event workflow shows its trigger in words, its type, filters and sample event", () => {
    backend.saved = eventWorkflow;
    renderAs("admin", "w1");
    expect(screen.getByTestId("trigger-summary")).toHaveTextContent("When a github.issues.opened event arrives, if issue.state = open and issue.number = 7");
    expect(screen.getByLabelText("Trigger")).toHaveValue("event");
    const type = screen.getByLabelText("Event type");
    expect(type).toHaveValue("github.issues.opened");
    expect(type).toHaveAccessibleDescription(/An exact type, like github\.issues\.opened/);
    const filters = within(screen.getByRole("list", { name: "Filters" })).getAllByRole("listitem");
    expect(filters).toHaveLength(2);
    expect(screen.getByLabelText("Filter 1: path")).toHaveValue("issue.state");
    expect(screen.getByLabelText("Filter 1: equals")).toHaveValue("open");
    expect(screen.getByLabelText("Filter 2: equals")).toHaveValue("7");
    expect(JSON.parse((screen.getByLabelText(/Sample event/) as HTMLTextAreaElement).value)).toEqual(eventWorkflow.trigger.sampleEvent);
    expect(screen.getByRole("button", { name: "Pause event trigger" })).toBeInTheDocument();
  });

  test("an admin picks When an event arrives, types a type and filters, and saves them", async () => {
    const user = userEvent.setup();
    backend.create.mockRejectedValue({ data: { code: "INVALID_INPUT", message: "The workflow is not valid.", fields: { "trigger.filters.1.path": "A path is names and list indexes separated by dots, like issue.labels.0.name." } } });
    renderAs("admin");
    await user.type(screen.getByLabelText("Name"), "Issues");
    await user.selectOptions(screen.getByLabelText("Trigger"), "event");
    await user.type(screen.getByLabelText("Event type"), "github.issues.*");
    await user.click(screen.getByRole("button", { name: "Add filter" }));
    await user.click(screen.getByRole("button", { name: "Add filter" }));
    await user.click(screen.getByRole("button", { name: "Add filter" }));
    await user.type(screen.getByLabelText("Filter 1: path"), "issue.state");
    await user.type(screen.getByLabelText("Filter 1: equals"), "open");
    await user.type(screen.getByLabelText("Filter 2: path"), "issue..x");
    await user.type(screen.getByLabelText("Filter 2: equals"), "null");
    await user.click(screen.getByRole("button", { name: "Remove filter 3" }));
    await user.click(screen.getByRole("button", { name: "Create workflow" }));

    expect(backend.create).toHaveBeenCalledTimes(1);
    const { definition } = backend.create.mock.calls[0]![0] as { definition: { trigger: Record<string, unknown> } };
    expect(definition.trigger).toMatchObject({
      kind: "event",
      eventType: "github.issues.*",
      filters: [
        { path: "issue.state", equals: "open" },
        { path: "issue..x", equals: null },
      ],
      sampleEvent: { eventId: "evt_example", type: "github.issues.opened" },
    });
    // The backend's message lands on its row's field.
    const path = screen.getByLabelText("Filter 2: path");
    expect(path).toHaveAttribute("aria-invalid", "true");
    expect(path).toHaveAccessibleDescription("A path is names and list indexes separated by dots, like issue.labels.0.name.");
  });

  test("members see the trigger read-only, with no filter buttons", () => {
    backend.saved = eventWorkflow;
    renderAs("member", "w1");
    expect(screen.getByLabelText("Event type")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Add filter" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Remove filter/ })).not.toBeInTheDocument();
  });
});
