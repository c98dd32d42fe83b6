/**
 * Every action Switchboard offers, and how forms and the API describe them. One file per
 * provider under `providers/`; adding an action is adding it to that file's list.
 */
import { z } from "zod";
import type { AnyAction } from "./define";
import { linkedinActions } from "./providers/linkedin";
import { redditActions } from "./providers/reddit";
import { salesforceActions } from "./providers/salesforce";
import { slackActions } from "./providers/slack";
import { trelloActions } from "./providers/trello";
import { wordpressActions } from "./providers/wordpress";
import { zoomActions } from "./providers/zoom";

export const actionCatalog: readonly AnyAction[] = [...slackActions, ...zoomActions, ...salesforceActions, ...redditActions, ...linkedinActions, ...wordpressActions, ...trelloActions];

const byId = new Map(actionCatalog.map((action) => [action.id, action]));

export function getAction(id: string): AnyAction | undefined {
  return byId.get(id);
}

export function actionsOfProvider(providerId: string): AnyAction[] {
  return actionCatalog.filter((action) => action.providerId === providerId);
}

/** An action as forms and API callers see it: its data and its schemas as JSON Schema (draft 2020-12). */
export type ActionDescription = {
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

const descriptions = new Map<string, ActionDescription>();

/** The action's description; JSON Schemas are computed once per action. */
export function describeAction(action: AnyAction): ActionDescription {
  const known = descriptions.get(action.id);
  if (known) return known;
  const description: ActionDescription = {
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
  descriptions.set(action.id, description);
  return description;
}
