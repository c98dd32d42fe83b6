import type { Metadata } from "next";
import type { Id } from "@/convex/_generated/dataModel";
import { WorkflowPage } from "@/components/workflows/workflow-page";

export const metadata: Metadata = { title: "Workflow" };

export default async function Page({ params }: { params: Promise<{ workflowId: string }> }) {
  const { workflowId } = await params;
  return <WorkflowPage workflowId={workflowId as Id<"workflows">} />;
}
