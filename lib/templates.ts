/**
 * Logic-less templates for action inputs: `{{trigger.title}}`,
 * `{{steps.create_issue.output.html_url}}`. A reference is a dotted path into a scope of
 * plain data, nothing else: no expressions, no helpers, no `eval`, no prototype walks.
 *
 * Templates are JSON values rendered leaf by leaf, never text pasted into JSON, so a value
 * with a quote or a newline cannot break the document it lands in. A string that is
 * exactly one reference takes the referenced value itself (a number stays a number, an
 * object an object); a reference inside other text is stringified into it.
 */

/** `{{ a.b.0 }}`: segments of letters, digits, `_` and `-`, separated by dots. */
const REFERENCE = /\{\{\s*([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\s*\}\}/g;
const WHOLE_REFERENCE = /^\{\{\s*([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\s*\}\}$/;
/** Anything left that looks like a reference but is not one (`{{ a + b }}`, `{{}}`). */
const MALFORMED = /\{\{(?!\s*[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\s*\}\})/;

/** How deep a template may nest (arrays and objects), and how long a rendered string may be. */
export const TEMPLATE_MAX_DEPTH = 32;
export const TEMPLATE_MAX_STRING = 1_000_000;

export type TemplateError = {
  /** Where in the template (`body.text`, `""` for the root). */
  at: string;
  message: string;
};
export type Rendered = { ok: true; value: unknown } | { ok: false; error: TemplateError };

/** The value at a dotted path, reading own properties of plain objects and array indexes only. */
export function lookupPath(scope: unknown, path: string): { found: true; value: unknown } | { found: false } {
  let current: unknown = scope;
  for (const segment of path.split(".")) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment) || Number(segment) >= current.length) return { found: false };
      current = current[Number(segment)];
    } else if (current !== null && typeof current === "object" && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { found: false };
    }
  }
  return current === undefined ? { found: false } : { found: true, value: current };
}

function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) return "";
  return JSON.stringify(value);
}

/**
 * True when `text` has something that looks like a reference but is not one
 * (`{{ a + b }}`, `{{}}`): rendering it would fail, so an editor can say so at once.
 * @example hasMalformedReference("Hi {{ user.name | upper }}") // true
 */
export function hasMalformedReference(text: string): boolean {
  return MALFORMED.test(text);
}

function renderString(text: string, scope: unknown, at: string): Rendered {
  if (hasMalformedReference(text)) {
    return { ok: false, error: { at, message: "A reference looks like {{trigger.title}}: names and dots only." } };
  }
  const whole = WHOLE_REFERENCE.exec(text);
  if (whole) {
    const found = lookupPath(scope, whole[1]!);
    return found.found ? { ok: true, value: found.value } : { ok: false, error: { at, message: `Nothing is called ${whole[1]}.` } };
  }
  let missing: string | null = null;
  const value = text.replace(REFERENCE, (_, path: string) => {
    const found = lookupPath(scope, path);
    if (!found.found) {
      missing ??= path;
      return "";
    }
    return stringify(found.value);
  });
  if (missing !== null) return { ok: false, error: { at, message: `Nothing is called ${missing}.` } };
  if (value.length > TEMPLATE_MAX_STRING) return { ok: false, error: { at, message: "The rendered text is too long." } };
  return { ok: true, value };
}

function join(at: string, key: string | number): string {
  return at === "" ? String(key) : `${at}.${key}`;
}

function renderAt(template: unknown, scope: unknown, at: string, depth: number): Rendered {
  if (depth > TEMPLATE_MAX_DEPTH) return { ok: false, error: { at, message: "The template nests too deeply." } };
  if (typeof template === "string") return renderString(template, scope, at);
  if (Array.isArray(template)) {
    const out: unknown[] = [];
    for (const [index, item] of template.entries()) {
      const rendered = renderAt(item, scope, join(at, index), depth + 1);
      if (!rendered.ok) return rendered;
      out.push(rendered.value);
    }
    return { ok: true, value: out };
  }
  if (template !== null && typeof template === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(template)) {
      const rendered = renderAt(item, scope, join(at, key), depth + 1);
      if (!rendered.ok) return rendered;
      out[key] = rendered.value;
    }
    return { ok: true, value: out };
  }
  return { ok: true, value: template };
}

/**
 * Renders every string of a JSON template against `scope`; the first unknown or
 * malformed reference is an error naming where it is.
 * @example renderTemplate({ text: "Item {{n}}", n: "{{n}}" }, { n: 7 }) // { ok: true, value: { text: "Item 7", n: 7 } }
 */
export function renderTemplate(template: unknown, scope: unknown): Rendered {
  return renderAt(template, scope, "", 0);
}

/** Every reference a template makes, in order, each once (the editor checks them against what earlier steps give). */
export function templateReferences(template: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, depth: number) => {
    if (depth > TEMPLATE_MAX_DEPTH) return;
    if (typeof value === "string") for (const match of value.matchAll(REFERENCE)) found.add(match[1]!);
    else if (Array.isArray(value)) for (const item of value) walk(item, depth + 1);
    else if (value !== null && typeof value === "object") for (const item of Object.values(value)) walk(item, depth + 1);
  };
  walk(template, 0);
  return [...found];
}
