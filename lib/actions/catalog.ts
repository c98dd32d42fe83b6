/**
 * Every action Switchboard offers, and how forms and the API describe them. One file per
 * provider under `providers/`; adding an action is adding it to that file's list.
 */
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

export { actionSpec, type ActionSpec } from "./spec";
