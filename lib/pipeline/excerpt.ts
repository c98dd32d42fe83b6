/**
 * Bounded excerpts for the call log: the redacted text of a request or an answer,
 * produced by a walk that stops once it holds what the log row can keep, so an
 * excerpt costs in proportion to its budget (2 KB), not to the body (up to 4 MB).
 *
 * The walk writes what `JSON.stringify` of the parsed, key-redacted body would write,
 * token by token, straight from the text: keys named like secrets have their whole
 * value replaced (the value is skipped by a scan that only matches brackets and
 * quotes), URLs inside strings go through `redactUrl`, deeper than 64 levels reads
 * "[Too deep]". Redaction by value (the connection's own secrets, in every spelling
 * `redactText` knows) runs on the produced text, which the walk takes past the budget
 * by the longest spelling: a secret that starts before the cut is there whole and is
 * replaced before anything is cut, and the part of the text where a secret could
 * still be incomplete is never kept.
 *
 * When the walk read its whole input, the excerpt is what redacting the whole parsed
 * document and then cutting it gave (`…[truncated N bytes]`, N exact), with two
 * differences that hide nothing: a repeated key shows each of its values (a parse
 * kept the last), and a URL without user info or a secret-named query or fragment
 * parameter is shown as sent (`redactUrl` would only normalise its spelling). When the walk stopped early, the excerpt
 * is a prefix of that text, ending with the same marker, where N adds the produced
 * text that was not kept to the length of the input never read (in UTF-16 units:
 * its bytes for ASCII), so it says about how much is missing without reading it.
 */
import { isSecretName, REDACTED, redactFormBody, redactText, redactUrl, secretMatcher, truncate } from "../redact";

/** Nesting depth past which the walk writes "[Too deep]", as `redactJson` does. */
const MAX_DEPTH = 64;
/** Produced beyond the budget plus the longest secret spelling, so that redaction rarely leaves the excerpt short of its budget. */
const SLACK_CHARS = 256;

const STOP: unique symbol = Symbol("excerpt budget reached");
const INVALID: unique symbol = Symbol("not JSON");

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** The excerpt being produced: pieces of text, and how much input was left unread when it stopped. */
export class ExcerptWriter {
  readonly #parts: string[] = [];
  #length = 0;
  /** UTF-16 units of input the producers never reached; set when they stopped early. */
  unread = 0;
  stoppedEarly = false;

  constructor(readonly limit: number) {}

  get length(): number {
    return this.#length;
  }

  /** Units that may still be written before the producers stop. */
  get room(): number {
    return this.limit - this.#length;
  }

  get full(): boolean {
    return this.#length >= this.limit;
  }

  write(text: string): void {
    this.#parts.push(text);
    this.#length += text.length;
  }

  /** Ends the production: `unread` units of input were never looked at. */
  stop(unread: number): never {
    this.stoppedEarly = true;
    this.unread = unread;
    throw STOP;
  }

  /** Everything written after `mark` is forgotten (a body that turned out not to be JSON). */
  mark(): number {
    return this.#parts.length;
  }

  rewind(mark: number): void {
    this.#parts.length = mark;
    this.#length = this.#parts.reduce((sum, part) => sum + part.length, 0);
    this.stoppedEarly = false;
    this.unread = 0;
  }

  text(): string {
    return this.#parts.join("");
  }
}

/**
 * Produces an excerpt with `produce`, redacts every known secret, and cuts it to
 * `maxBytes` of UTF-8 (marker included). `produce` writes JSON text into the writer
 * and should stop (`writer.stop`) once `writer.full`.
 */
export function boundedExcerpt(
  produce: (writer: ExcerptWriter) => void,
  secrets: readonly string[],
  maxBytes: number,
): string {
  const { longest } = secretMatcher(secrets);
  const writer = new ExcerptWriter(maxBytes + longest + SLACK_CHARS);
  try {
    produce(writer);
  } catch (error) {
    if (error !== STOP) throw error;
  }
  const text = writer.text();
  if (!writer.stoppedEarly) return truncate(redactText(text, secrets), maxBytes);
  return cutWithMarker(redactBeforeTail(text, secrets), maxBytes, writer.unread);
}

/**
 * `text` redacted of every secret, up to the point past which a secret could still
 * be incomplete (the last `longest - 1` units), or further when a match that starts
 * before that point runs on. What lies beyond is dropped, never shown unredacted.
 */
function redactBeforeTail(text: string, secrets: readonly string[]): string {
  const { pattern, longest } = secretMatcher(secrets);
  if (pattern === null) return text;
  // A secret that starts before `safe` ends inside the text; one that starts at or after it may not.
  const safe = Math.max(0, text.length - longest + 1);
  let out = "";
  let last = 0;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null && match.index < safe; match = pattern.exec(text)) {
    out += text.slice(last, match.index) + REDACTED;
    last = match.index + match[0].length;
  }
  pattern.lastIndex = 0;
  return out + text.slice(last, Math.max(last, safe));
}

/** Cuts `text` to `maxBytes` with `…[truncated N bytes]`, N counting the cut part and `restBytes` more. */
function cutWithMarker(text: string, maxBytes: number, restBytes: number): string {
  const bytes = utf8.encode(text);
  const marker = (dropped: number) => `…[truncated ${dropped} bytes]`;
  // Sized for the largest N it could show; a smaller N only leaves slack.
  const markerBytes = utf8.encode(marker(bytes.length + restBytes)).length;
  if (maxBytes < markerBytes) return utf8Decoder.decode(bytes.subarray(0, utf8Boundary(bytes, maxBytes)));
  const keep = utf8Boundary(bytes, Math.min(bytes.length, maxBytes - markerBytes));
  return utf8Decoder.decode(bytes.subarray(0, keep)) + marker(bytes.length - keep + restBytes);
}

/** The largest index ≤ `limit` that does not fall inside a UTF-8 sequence. */
function utf8Boundary(bytes: Uint8Array, limit: number): number {
  let index = limit;
  while (index > 0 && index < bytes.length && (bytes[index]! & 0b1100_0000) === 0b1000_0000) index--;
  return index;
}

// ---------------------------------------------------------------------------------
// Producers
// ---------------------------------------------------------------------------------

/** Writes `value` as `JSON.stringify` would; for the small, known parts of an excerpt. */
export function writeValue(writer: ExcerptWriter, value: unknown): void {
  if (writer.full) writer.stop(0);
  writer.write(JSON.stringify(value) ?? "null");
}

/** Writes a literal piece of JSON syntax (`{"status":`). */
export function writeRaw(writer: ExcerptWriter, text: string): void {
  if (writer.full) writer.stop(0);
  writer.write(text);
}

/**
 * Writes a body as the log shows it: JSON with secret-named keys redacted, a form
 * with secret-named fields redacted, anything else as a JSON string of its text.
 */
export function writeBody(writer: ExcerptWriter, body: string | null | undefined, contentType: string | null): void {
  if (body === null || body === undefined || body === "") return writeRaw(writer, "null");
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("json") || /^\s*[[{]/.test(body)) {
    const mark = writer.mark();
    try {
      new JsonWalk(body, writer).document();
      return;
    } catch (error) {
      if (error !== INVALID) throw error;
      // Not JSON after all: fall through to text.
      writer.rewind(mark);
    }
  }
  if (type.includes("x-www-form-urlencoded")) return writeForm(writer, body);
  writeText(writer, body);
}

/** A JSON string of `text`, cut where the budget ends (never inside a surrogate pair). */
function writeText(writer: ExcerptWriter, text: string): void {
  if (writer.full) writer.stop(text.length);
  if (text.length <= writer.room) return writer.write(JSON.stringify(text));
  const end = cutIndex(text, writer.room);
  writer.write(JSON.stringify(text.slice(0, end)).slice(0, -1));
  writer.stop(text.length - end);
}

/** `redactFormBody`, a pair at a time until the budget is reached, as a JSON string. */
function writeForm(writer: ExcerptWriter, form: string): void {
  if (writer.full) writer.stop(form.length);
  const room = writer.room;
  let out = "";
  let at = 0;
  while (at <= form.length && out.length < room) {
    const amp = form.indexOf("&", at);
    const end = amp === -1 ? form.length : amp;
    out += (at === 0 ? "" : "&") + redactFormBody(form.slice(at, end));
    at = end + 1;
  }
  if (at > form.length && out.length <= room) return writer.write(JSON.stringify(out));
  const end = cutIndex(out, room);
  writer.write(JSON.stringify(out.slice(0, end)).slice(0, -1));
  writer.stop(Math.max(0, form.length - at));
}

/** `limit`, or one less when that would split a surrogate pair. */
function cutIndex(text: string, limit: number): number {
  if (limit <= 0) return 0;
  if (limit >= text.length) return text.length;
  const before = text.charCodeAt(limit - 1);
  return before >= 0xd800 && before <= 0xdbff ? limit - 1 : limit;
}

const URL_START = /^[a-z][a-z0-9+.-]*:\/\//i;
// Characters that make a string need more than copying: an escape, a control
// character (invalid raw in JSON) or a surrogate (JSON.stringify escapes lone ones).
const NOT_PLAIN = /[\\\u0000-\u001f\ud800-\udfff]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * True when `redactUrl` could change more than the spelling of this string: it is a
 * URL with user info, or with a query or fragment parameter named like a secret.
 * Checked on a superset of what the URL parser would see (the authority up to the
 * first `/`, `?` or `#`; every `&`-piece after the first `?` or `#`), so it never
 * says no where redactUrl would have redacted.
 */
function mayHoldUrlSecret(value: string): boolean {
  if (!URL_START.test(value)) return false;
  const authority = value.indexOf("//") + 2;
  const rest = value.slice(authority).search(/[/?#]/);
  const authorityEnd = rest === -1 ? value.length : authority + rest;
  if (value.lastIndexOf("@", authorityEnd) >= authority) return true;
  const query = value.search(/[?#]/);
  if (query === -1) return false;
  for (const piece of value.slice(query + 1).split(/[&#]/)) {
    const equals = piece.indexOf("=");
    const name = equals === -1 ? piece : piece.slice(0, equals);
    if (name !== "" && isSecretKey(/[%+]/.test(name) ? decodeName(name) : name)) return true;
  }
  return false;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, " "));
  } catch {
    return name;
  }
}

// Key names repeat (arrays of records): remember what isSecretName said about each.
const secretNameCache = new Map<string, boolean>();
const SECRET_NAME_CACHE_MAX = 2_000;

function isSecretKey(name: string): boolean {
  let known = secretNameCache.get(name);
  if (known === undefined) {
    known = isSecretName(name);
    if (secretNameCache.size >= SECRET_NAME_CACHE_MAX) secretNameCache.clear();
    secretNameCache.set(name, known);
  }
  return known;
}

/**
 * A walk over JSON text that writes the redacted document. Throws INVALID for what
 * `JSON.parse` would refuse (as far as it reads), and stops through the writer when
 * the budget is reached.
 */
class JsonWalk {
  #at = 0;

  constructor(
    private readonly src: string,
    private readonly out: ExcerptWriter,
  ) {}

  document(): void {
    this.value(0);
    this.skipSpace();
    if (this.#at !== this.src.length) throw INVALID;
  }

  private stopIfFull(): void {
    if (this.out.full) this.out.stop(this.src.length - this.#at);
  }

  private skipSpace(): void {
    const src = this.src;
    let at = this.#at;
    for (;;) {
      const c = src.charCodeAt(at);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) at++;
      else break;
    }
    this.#at = at;
  }

  private value(depth: number): void {
    this.skipSpace();
    this.stopIfFull();
    const c = this.src.charCodeAt(this.#at);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth >= MAX_DEPTH) {
        this.out.write('"[Too deep]"');
        this.skipValue();
        return;
      }
      return c === 0x7b ? this.object(depth) : this.array(depth);
    }
    if (c === 0x22 /* " */) return this.string(true);
    if (c === 0x74 /* t */) return this.literal("true");
    if (c === 0x66 /* f */) return this.literal("false");
    if (c === 0x6e /* n */) return this.literal("null");
    return this.number();
  }

  private object(depth: number): void {
    this.#at++;
    this.out.write("{");
    this.skipSpace();
    if (this.src.charCodeAt(this.#at) === 0x7d /* } */) {
      this.#at++;
      this.out.write("}");
      return;
    }
    for (let first = true; ; first = false) {
      this.skipSpace();
      this.stopIfFull();
      if (this.src.charCodeAt(this.#at) !== 0x22) throw INVALID;
      const key = this.readString();
      this.skipSpace();
      if (this.src.charCodeAt(this.#at) !== 0x3a /* : */) throw INVALID;
      this.#at++;
      this.out.write(`${first ? "" : ","}${key.json}:`);
      if (isSecretKey(key.value)) {
        this.out.write(JSON.stringify(REDACTED));
        this.skipSpace();
        this.skipValue();
      } else {
        this.value(depth + 1);
      }
      this.skipSpace();
      const next = this.src.charCodeAt(this.#at++);
      if (next === 0x2c /* , */) continue;
      if (next === 0x7d /* } */) {
        this.out.write("}");
        return;
      }
      throw INVALID;
    }
  }

  private array(depth: number): void {
    this.#at++;
    this.out.write("[");
    this.skipSpace();
    if (this.src.charCodeAt(this.#at) === 0x5d /* ] */) {
      this.#at++;
      this.out.write("]");
      return;
    }
    for (let first = true; ; first = false) {
      if (!first) this.out.write(",");
      this.value(depth + 1);
      this.skipSpace();
      const next = this.src.charCodeAt(this.#at++);
      if (next === 0x2c) continue;
      if (next === 0x5d) {
        this.out.write("]");
        return;
      }
      throw INVALID;
    }
  }

  private literal(word: "true" | "false" | "null"): void {
    if (!this.src.startsWith(word, this.#at)) throw INVALID;
    this.#at += word.length;
    this.out.write(word);
  }

  private number(): void {
    NUMBER.lastIndex = this.#at;
    const match = NUMBER.exec(this.src);
    if (!match) throw INVALID;
    this.#at += match[0].length;
    const value = Number(match[0]);
    this.out.write(Number.isFinite(value) ? String(value) : "null");
  }

  /** Index of the quote that closes the string whose opening quote is at `start`. */
  private closingQuote(start: number): number {
    const src = this.src;
    let from = start + 1;
    for (;;) {
      const quote = src.indexOf('"', from);
      if (quote === -1) throw INVALID;
      let backslashes = 0;
      while (src.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
      if (backslashes % 2 === 0) return quote;
      from = quote + 1;
    }
  }

  /** A whole string token (keys): its value and its canonical JSON. */
  private readString(): { value: string; json: string } {
    const start = this.#at;
    const end = this.closingQuote(start);
    this.#at = end + 1;
    const raw = this.src.slice(start, end + 1);
    if (!NOT_PLAIN.test(raw)) return { value: raw.slice(1, -1), json: raw };
    const value = parseString(raw);
    return { value, json: JSON.stringify(value) };
  }

  /** A string value: whole when it fits the room left, else the part that does, and stop. */
  private string(urlAware: boolean): void {
    const start = this.#at;
    const end = this.closingQuote(start);
    const room = this.out.room;
    if (end + 1 - start <= room) {
      this.#at = end + 1;
      const raw = this.src.slice(start, end + 1);
      const plain = !NOT_PLAIN.test(raw);
      const value = plain ? raw.slice(1, -1) : parseString(raw);
      if (urlAware && mayHoldUrlSecret(value)) {
        this.out.write(JSON.stringify(redactUrl(value)));
      } else {
        this.out.write(plain ? raw : JSON.stringify(value));
      }
      return;
    }
    // Only its start fits: decode a prefix that does not end inside an escape (at most 6 units back).
    let cut = start + Math.max(1, room);
    let value = prefixValue(this.src.slice(start, cut));
    for (let back = 1; value === null && back <= 6; back++) value = prefixValue(this.src.slice(start, --cut));
    if (value === null) throw INVALID;
    if (urlAware && mayHoldUrlSecret(value)) value = redactUrl(value);
    this.out.write(JSON.stringify(value).slice(0, -1));
    this.out.stop(this.src.length - cut);
  }

  /** Steps over one value without writing it: quotes and brackets only, as fast as indexOf goes. */
  private skipValue(): void {
    const src = this.src;
    const c = src.charCodeAt(this.#at);
    if (c === 0x22) {
      this.#at = this.closingQuote(this.#at) + 1;
      return;
    }
    if (c !== 0x7b && c !== 0x5b) {
      // A number or literal: up to the next delimiter.
      let at = this.#at;
      while (at < src.length) {
        const d = src.charCodeAt(at);
        if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
        at++;
      }
      if (at === this.#at) throw INVALID;
      this.#at = at;
      return;
    }
    let depth = 0;
    let at = this.#at;
    while (at < src.length) {
      const d = src.charCodeAt(at);
      if (d === 0x22) {
        at = this.closingQuote(at) + 1;
        continue;
      }
      if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) {
          this.#at = at + 1;
          return;
        }
      }
      at++;
    }
    throw INVALID;
  }
}

function parseString(raw: string): string {
  const value = tryParseString(raw);
  if (value === null) throw INVALID;
  return value;
}

/** The value of the start of a string token (opening quote included), or null when it ends inside an escape. */
function prefixValue(raw: string): string | null {
  return NOT_PLAIN.test(raw) ? tryParseString(`${raw}"`) : raw.slice(1);
}

function tryParseString(raw: string): string | null {
  try {
    return JSON.parse(raw) as string;
  } catch {
    return null;
  }
}
