/**
 * The rules for an organization's name, shared by the create form, Organization
 * settings and the functions behind them.
 */

/** Longest organization name we accept. */
export const ORG_NAME_MAX_LENGTH = 80;

export type OrgNameCheck = { ok: true; name: string } | { ok: false; message: string };

/**
 * Trims a name and checks its length; the message says what is wrong.
 * @example checkOrgName("  Acme ") // { ok: true, name: "Acme" }
 */
export function checkOrgName(input: string): OrgNameCheck {
  const name = input.trim();
  if (!name) return { ok: false, message: "Give the organization a name." };
  if (name.length > ORG_NAME_MAX_LENGTH) {
    return { ok: false, message: `Use at most ${ORG_NAME_MAX_LENGTH} characters (this is ${name.length}).` };
  }
  return { ok: true, name };
}

/**
 * A name as it looks in a list: trimmed, without case or Unicode compatibility forms,
 * so "Acme", " ACME " and "Ａｃｍｅ" fold to the same key.
 */
export function foldOrgName(name: string): string {
  return name.trim().normalize("NFKC").toLowerCase();
}

/** True when two names would look the same in a list (see `foldOrgName`). */
export function sameOrgName(a: string, b: string): boolean {
  return foldOrgName(a) === foldOrgName(b);
}

/**
 * True when what was typed in the delete dialog is the organization's name exactly
 * (surrounding spaces aside): deleting is not undone, so case matters.
 */
export function deletionConfirmed(typed: string, name: string): boolean {
  return typed.trim() === name;
}
