import { redirect } from "next/navigation";

// The proxy sends signed-out visitors to /signin; everyone else picks an organization.
export default function Home() {
  redirect("/orgs");
}
