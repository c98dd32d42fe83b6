/**
 * Convex runtime rules that convex-test does not enforce, checked on the source.
 *
 * Randomness inside a Convex mutation is seeded so the mutation can be replayed:
 * `crypto.getRandomValues` and `crypto.randomUUID` there are predictable. Secrets
 * (OAuth states, PKCE verifiers, vault IVs) must therefore be made in actions and
 * only stored by mutations. This walks every mutation handler in convex/, following
 * the functions it calls in its own module and in other convex/ modules, and fails
 * when one reaches the vault's encryption or a source of randomness.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const CONVEX = fileURLToPath(new URL("../convex", import.meta.url));

/** Calls that make randomness or encrypt (the vault draws a random IV). */
const FORBIDDEN = new Set(["encryptSecret", "encryptSecrets", "encryptJson", "generateState", "generateCodeVerifier", "getRandomValues", "randomUUID"]);

/** Reached on purpose, with why it is harmless. */
const ALLOWED: Record<string, string> = {
  "orgs/organizations.ts:freeSlug randomUUID": "a suffix that makes a slug unique, not a secret",
};

type Module = { file: string; source: ts.SourceFile; functions: Map<string, ts.Node>; imports: Map<string, { from: string; name: string }> };

const modules = new Map<string, Module>();

function load(file: string): Module {
  const cached = modules.get(file);
  if (cached) return cached;
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const functions = new Map<string, ts.Node>();
  const imports = new Map<string, { from: string; name: string }>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) functions.set(statement.name.text, statement.body);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) functions.set(declaration.name.text, declaration.initializer);
      }
    }
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      const bindings = statement.importClause?.namedBindings;
      if (!specifier.startsWith(".") || !bindings || !ts.isNamedImports(bindings)) continue;
      const target = resolve(dirname(file), `${specifier}.ts`);
      if (!target.startsWith(CONVEX) || target.includes("_generated")) continue;
      for (const element of bindings.elements) {
        imports.set(element.name.text, { from: target, name: (element.propertyName ?? element.name).text });
      }
    }
  }
  const module = { file, source, functions, imports };
  modules.set(file, module);
  return module;
}

/** The names `node` calls (`f()`, `x.f()`), with the node each call is in. */
function calledNames(node: ts.Node): string[] {
  const names: string[] = [];
  const visit = (child: ts.Node) => {
    if (ts.isCallExpression(child)) {
      const callee = child.expression;
      if (ts.isIdentifier(callee)) names.push(callee.text);
      else if (ts.isPropertyAccessExpression(callee)) names.push(callee.name.text);
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return names;
}

/** Every forbidden call reachable from `node`, as "module:function name" paths. */
function reach(module: Module, node: ts.Node, via: string, seen: Set<string>, found: string[]) {
  for (const name of calledNames(node)) {
    if (FORBIDDEN.has(name)) {
      found.push(`${relative(CONVEX, module.file)}:${via} ${name}`);
      continue;
    }
    const local = module.functions.get(name);
    const imported = module.imports.get(name);
    const key = local ? `${module.file}:${name}` : imported ? `${imported.from}:${imported.name}` : null;
    if (!key || seen.has(key)) continue;
    seen.add(key);
    if (local) reach(module, local, name, seen, found);
    else if (imported) {
      const target = load(imported.from);
      const body = target.functions.get(imported.name);
      if (body) reach(target, body, imported.name, seen, found);
    }
  }
}

function convexFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "_generated" ? [] : convexFiles(path);
    // Two dots (`x.test.ts`, `test.world.ts`) are tests and their helpers, which Convex skips.
    return /^[^.]+\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The handler of every `…Mutation({ handler })` definition in a module. */
function mutationHandlers(module: Module): Array<{ name: string; handler: ts.Node }> {
  const handlers: Array<{ name: string; handler: ts.Node }> = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && /Mutation$/.test(node.expression.text)) {
      const options = node.arguments[0];
      if (options && ts.isObjectLiteralExpression(options)) {
        for (const property of options.properties) {
          if (ts.isPropertyAssignment(property) && property.name.getText() === "handler") {
            const owner = ts.isVariableDeclaration(node.parent) ? node.parent.name.getText() : "(anonymous)";
            handlers.push({ name: owner, handler: property.initializer });
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(module.source);
  return handlers;
}

describe("randomness and encryption stay out of mutations", () => {
  const files = convexFiles(CONVEX);

  test("the walk sees the app's mutations", () => {
    const count = files.reduce((sum, file) => sum + mutationHandlers(load(file)).length, 0);
    expect(count).toBeGreaterThan(15);
  });

  test("no mutation encrypts or draws randomness, directly or through what it calls", () => {
    const found: string[] = [];
    for (const file of files) {
      const module = load(file);
      for (const { name, handler } of mutationHandlers(module)) reach(module, handler, name, new Set(), found);
    }
    expect(found.filter((path) => !(path in ALLOWED))).toEqual([]);
    // Every allowance is still needed (and so still true).
    expect(found.filter((path) => path in ALLOWED).sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  test("the walk would notice: an encrypting helper called from a mutation is found", () => {
    const file = join(CONVEX, "__probe__.ts");
    const probe: Module = {
      file,
      source: ts.createSourceFile(
        file,
        `const seal = (v: string) => encryptSecrets("o", "p", { v });
         export const bad = internalMutation({ handler: async () => { await seal("x"); } });`,
        ts.ScriptTarget.Latest,
        true,
      ),
      functions: new Map(),
      imports: new Map(),
    };
    for (const statement of probe.source.statements) {
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) if (d.initializer) probe.functions.set(d.name.getText(), d.initializer);
      }
    }
    const found: string[] = [];
    for (const { name, handler } of mutationHandlers(probe)) reach(probe, handler, name, new Set(), found);
    expect(found).toEqual(["__probe__.ts:seal encryptSecrets"]);
  });
});
