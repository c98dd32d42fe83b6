/**
 * The Test dialog's text fields, turned into a request. Query parameters are
 * `name=value` lines and headers `Name: value` lines, as people paste them.
 */

export type ParsedTestRequest =
  | { ok: true; query: Record<string, string>; headers: Record<string, string>; body: string | undefined }
  | { ok: false; field: "query" | "headers" | "body"; message: string };

/** Parses the dialog's query, headers and body; the server checks everything again. */
export function parseTestRequestForm(input: { method: string; query: string; headers: string; body: string }): ParsedTestRequest {
  const query = parseLines(input.query, "=");
  if (!query.ok) return { ok: false, field: "query", message: `Query line ${query.line}: write it as name=value.` };
  const headers = parseLines(input.headers, ":");
  if (!headers.ok) return { ok: false, field: "headers", message: `Header line ${headers.line}: write it as Name: value.` };
  const bodyText = input.body.trim();
  if (bodyText && (input.method === "GET" || input.method === "HEAD")) {
    return { ok: false, field: "body", message: `${input.method} requests cannot have a body.` };
  }
  if (bodyText) {
    try {
      JSON.parse(bodyText);
    } catch (error) {
      return { ok: false, field: "body", message: `The body is not valid JSON: ${(error as Error).message}` };
    }
  }
  return { ok: true, query: query.entries, headers: headers.entries, body: bodyText || undefined };
}

function parseLines(text: string, separator: "=" | ":") {
  const entries: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const at = line.indexOf(separator);
    const name = at > 0 ? line.slice(0, at).trim() : "";
    if (!name) return { ok: false as const, line: i + 1 };
    entries[name] = line.slice(at + 1).trim();
  }
  return { ok: true as const, entries };
}

/** The answer body, pretty-printed when it is JSON. */
export function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
