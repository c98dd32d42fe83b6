/**
 * An action as forms and the API see it: its data and its schemas as JSON Schema. Apart
 * from the catalog so a test of one provider's actions does not load every provider.
 */
import { z } from "zod";
import type { AnyAction } from "./define";

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
