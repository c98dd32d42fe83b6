"use client";

import { useAction, useQuery } from "convex/react";
import { useState } from "react";
import { api } from "@/convex/_generated/api";
import { useNow } from "@/components/integrations/use-now";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { hasRole } from "@/lib/roles";
import { EndpointCard, SECRET_NOTE } from "./endpoint-card";
import { EndpointFormDialog } from "./endpoint-form-dialog";
import { ShowOnceDialog } from "@/components/shell/show-once-dialog";

/** `/o/[orgSlug]/settings/webhooks`: the org's outbound webhook endpoints, live. Members read; admins manage. */
export function WebhooksPage() {
  const org = useCurrentOrg();
  const endpoints = useQuery(api.webhooks.outbound.endpoints.list, { orgId: org.orgId });
  const create = useAction(api.webhooks.outbound.endpoints.create);
  const canManage = hasRole(org.role, "admin");
  const now = useNow();
  const [adding, setAdding] = useState(false);
  const [newSecret, setNewSecret] = useState<string | null>(null);

  return (
    <div className="grid min-w-0 gap-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Webhooks</h1>
          <p className="text-muted-foreground text-sm">
            {canManage
              ? "Switchboard tells your systems what happens here: connections, actions, workflow runs. Each delivery is signed (Standard Webhooks) and retried for about a day."
              : "The endpoints that hear what happens here. Only owners and admins change them."}
          </p>
        </div>
        {canManage && <Button onClick={() => setAdding(true)}>Add endpoint</Button>}
      </div>
      {endpoints === undefined ? (
        <Skeleton className="h-40 w-full" />
      ) : endpoints.length === 0 ? (
        <p className="text-muted-foreground text-sm">No endpoints yet.{canManage ? " Add one to start receiving events." : ""}</p>
      ) : (
        endpoints.map((endpoint) => <EndpointCard key={endpoint.id} endpoint={endpoint} canManage={canManage} now={now} />)
      )}
      {adding && (
        <EndpointFormDialog
          open
          title="Add endpoint"
          submitLabel="Add endpoint"
          initial={{ url: "", description: "", filter: ["*"] }}
          onOpenChange={setAdding}
          onSubmit={async (values) => {
            const { secret } = await create({ orgId: org.orgId, ...values });
            setAdding(false);
            setNewSecret(secret);
          }}
        />
      )}
      <ShowOnceDialog
        value={newSecret}
        label="Signing secret"
        noun="secret"
        note={SECRET_NOTE}
        title="Endpoint added"
        description="Copy its signing secret now: this is the only time it is shown."
        onClose={() => setNewSecret(null)}
      />
    </div>
  );
}
