/**
 * The API reference: a plain rendering of the OpenAPI document (lib/public-api), read
 * from the document itself so the page shows exactly what GET /v1/openapi.json serves:
 * each operation with its scope, parameters, body and answers, then the schemas.
 * A server component: the document is built on the server, no script is sent.
 */
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { openApiDocument } from "@/lib/public-api";
import { ScrollX } from "@/components/ui/scroll-x";

type Json = Record<string, unknown>;
type Parameter = { name: string; in: string; required: boolean; description?: string; schema: Json };
type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  "x-required-scope"?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Json }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Json }> }>;
};

const refName = (schema: Json | undefined) => (typeof schema?.$ref === "string" ? schema.$ref.split("/").at(-1)! : null);

function SchemaLink({ schema }: { schema: Json | undefined }) {
  const name = refName(schema);
  return name ? (
    <a href={`#schema-${name}`} className="font-mono underline underline-offset-4">
      {name}
    </a>
  ) : (
    <code className="font-mono">{JSON.stringify(schema)}</code>
  );
}

function OperationCard({ method, path, op }: { method: string; path: string; op: Operation }) {
  const body = op.requestBody?.content["application/json"]?.schema;
  return (
    <Card id={`op-${op.operationId}`}>
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2 font-mono text-base break-all">
          <Badge variant={method === "get" ? "secondary" : "default"}>{method.toUpperCase()}</Badge>
          {path}
        </CardTitle>
        <CardDescription>
          {op.summary}
          {op.description ? `. ${op.description}` : ""}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        <p>
          Scope: {op["x-required-scope"] ? <code className="font-mono">{op["x-required-scope"]}</code> : "none (public)"}
        </p>
        {op.parameters && op.parameters.length > 0 && (
          <ScrollX label={`Parameters of ${method.toUpperCase()} ${path}`}>
            <table className="w-full text-left">
              <caption className="text-muted-foreground mb-1 text-left text-xs">Parameters</caption>
              <thead className="text-muted-foreground text-xs">
                <tr>
                  <th className="pr-3 font-medium">Name</th>
                  <th className="pr-3 font-medium">In</th>
                  <th className="pr-3 font-medium">Type</th>
                  <th className="font-medium">About</th>
                </tr>
              </thead>
              <tbody>
                {op.parameters.map((param) => (
                  <tr key={`${param.in}-${param.name}`} className="border-t align-top">
                    <td className="py-1 pr-3 font-mono">
                      {param.name}
                      {param.required ? " *" : ""}
                    </td>
                    <td className="py-1 pr-3">{param.in}</td>
                    <td className="py-1 pr-3 font-mono">{String(param.schema.type ?? "")}</td>
                    <td className="py-1">{param.description ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollX>
        )}
        {body && (
          <p>
            Body: <SchemaLink schema={body} />
          </p>
        )}
        <div>
          <p className="text-muted-foreground text-xs">Answers</p>
          <ul className="grid gap-1">
            {Object.entries(op.responses).map(([status, response]) => {
              const [type, media] = Object.entries(response.content ?? {})[0] ?? [];
              return (
                <li key={status}>
                  <span className={Number(status) >= 400 ? "text-destructive font-mono" : "font-mono"}>{status}</span> {response.description}{" "}
                  {media && (
                    <span className="text-muted-foreground">
                      ({type}, <SchemaLink schema={media.schema} />)
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      </CardContent>
    </Card>
  );
}

export function ApiReference() {
  const doc = openApiDocument() as { info: { title: string; version: string; description: string }; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Json> } };
  const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  const [intro, ...scopeLines] = doc.info.description.split("\n").filter(Boolean);
  return (
    <div className="grid min-w-0 gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">
          {doc.info.title} <span className="text-muted-foreground text-base font-normal">v{doc.info.version}</span>
        </h1>
        <p className="text-muted-foreground text-sm">{intro?.replace(/`/g, "")}</p>
        <p className="text-muted-foreground mt-2 text-sm">
          The base URL is your deployment&apos;s HTTP actions URL (the <code>.convex.site</code> address). The machine-readable document is at{" "}
          <code className="font-mono">/v1/openapi.json</code>.
        </p>
      </div>
      <section aria-labelledby="scopes-heading" className="grid gap-2">
        <h2 id="scopes-heading" className="text-lg font-semibold">
          Scopes
        </h2>
        <ul className="grid gap-1 text-sm">
          {scopeLines
            .filter((line) => line.startsWith("- "))
            .map((line) => {
              const [scope, ...rest] = line.slice(2).split(": ");
              return (
                <li key={line}>
                  <code className="font-mono">{scope!.replace(/`/g, "")}</code>: {rest.join(": ")}
                </li>
              );
            })}
        </ul>
      </section>
      <section aria-labelledby="operations-heading" className="grid gap-3">
        <h2 id="operations-heading" className="text-lg font-semibold">
          Operations
        </h2>
        {operations.map(({ path, method, op }) => (
          <OperationCard key={`${method} ${path}`} method={method} path={path} op={op} />
        ))}
      </section>
      <section aria-labelledby="schemas-heading" className="grid gap-3">
        <h2 id="schemas-heading" className="text-lg font-semibold">
          Schemas
        </h2>
        {Object.entries(doc.components.schemas).map(([name, schema]) => (
          <details key={name} id={`schema-${name}`} className="rounded-md border p-3">
            <summary className="cursor-pointer font-mono text-sm">{name}</summary>
            <pre className="bg-muted mt-2 max-h-96 overflow-auto rounded p-2 text-xs">{JSON.stringify(schema, null, 2)}</pre>
          </details>
        ))}
      </section>
    </div>
  );
}
