/**
 * A workflow's trigger in words, for the workflow page and the list: "Every 60 minutes",
 * "When a github.issues.opened event arrives, if issue.state = open".
 */
import { filterValueText, type EventFilter } from "./event-trigger";

/** A trigger as the app shows it (the stored shape; only what the words need). */
export type DescribedTrigger =
  | { kind: "manual" }
  | { kind: "schedule"; everyMinutes: number }
  | { kind: "event"; eventType: string; filters: readonly EventFilter[] };

/** Filters as a person would write them: `issue.state = open and issue.number = 7`. */
export function describeFilters(filters: readonly EventFilter[]): string {
  return filters.map((filter) => `${filter.path} = ${filterValueText(filter.equals)}`).join(" and ");
}

/**
 * @example describeTrigger({ kind: "event", eventType: "github.*", filters: [] }) // "When any github.* event arrives"
 */
export function describeTrigger(trigger: DescribedTrigger): string {
  switch (trigger.kind) {
    case "manual":
      return "By hand: Run now or the API";
    case "schedule":
      return trigger.everyMinutes === 1 ? "Every minute" : `Every ${trigger.everyMinutes.toLocaleString("en-US")} minutes`;
    case "event": {
      const which = trigger.eventType.endsWith(".*") ? "any" : "a";
      const when = `When ${which} ${trigger.eventType} event arrives`;
      return trigger.filters.length === 0 ? when : `${when}, if ${describeFilters(trigger.filters)}`;
    }
  }
}
