/**
 * Every action Switchboard offers, and how forms and the API describe them. One file per
 * provider under `providers/`; adding an action is adding it to that file's list.
 */
import { z } from "zod";
import type { AnyAction } from "./define";
import { asanaActions } from "./providers/asana";
import { customWebhookActions } from "./providers/custom-webhook";
import { githubActions } from "./providers/github";
import { gmailActions } from "./providers/gmail";
import { googleCalendarActions } from "./providers/google-calendar";
import { jiraActions } from "./providers/jira";
import { linearActions } from "./providers/linear";
import { microsoftActions } from "./providers/microsoft";
import { notionActions } from "./providers/notion";
import { pumbleActions } from "./providers/pumble";
import { linkedinActions } from "./providers/linkedin";
import { redditActions } from "./providers/reddit";
import { salesforceActions } from "./providers/salesforce";
import { slackActions } from "./providers/slack";
import { trelloActions } from "./providers/trello";
import { wordpressActions } from "./providers/wordpress";
import { zoomActions } from "./providers/zoom";

export const actionCatalog: readonly AnyAction[] = [
  ...slackActions,
  ...githubActions,
  ...customWebhookActions,
  ...pumbleActions,
  ...notionActions,
  ...linearActions,
  ...jiraActions,
  ...asanaActions,
  ...googleCalendarActions,
  ...gmailActions,
  ...microsoftActions,
  ...zoomActions,
  ...salesforceActions,
  ...redditActions,
  ...linkedinActions,
  ...wordpressActions,
  ...trelloActions,
];

const byId = new Map(actionCatalog.map((action) => [action.id, action]));

export function getAction(id: string): AnyAction | undefined {
  return byId.get(id);
}

export function actionsOfProvider(providerId: string): AnyAction[] {
  return actionCatalog.filter((action) => action.providerId === providerId);
}

/** An action as forms and API callers see it: its data and its schemas as JSON Schema (draft 2020-12). */
export type ActionSpec = {
  id: string;
  version: number;
  providerId: string;
  kind: AnyAction["kind"];
  title: string;
  description: string;
  effect: AnyAction["effect"];
  scopes: AnyAction["scopes"];
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
};

const specs = new Map<string, ActionSpec>();

/** The action as forms and the API see it; its JSON Schemas are computed once per action. */
export function actionSpec(action: AnyAction): ActionSpec {
  const known = specs.get(action.id);
  if (known) return known;
  const spec: ActionSpec = {
    id: action.id,
    version: action.version,
    providerId: action.providerId,
    kind: action.kind,
    title: action.title,
    description: action.description,
    effect: action.effect,
    scopes: action.scopes,
    // What a caller sends (defaults optional) and what it gets back (defaults filled in).
    inputSchema: z.toJSONSchema(action.input, { io: "input", unrepresentable: "any" }) as Record<string, unknown>,
    outputSchema: z.toJSONSchema(action.output, { io: "output", unrepresentable: "any" }) as Record<string, unknown>,
  };
  specs.set(action.id, spec);
  return spec;
}
