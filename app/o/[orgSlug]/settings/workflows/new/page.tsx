import type { Metadata } from "next";
import { WorkflowPage } from "@/components/workflows/workflow-page";

export const metadata: Metadata = { title: "New workflow" };

export default function Page() {
  return <WorkflowPage />;
}
