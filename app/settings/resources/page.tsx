import { ResourceMappings } from "@/components/ResourceMappings";

export const metadata = { title: "Resources" };

export default function ResourceSettingsPage() {
  return <ResourceMappings />;
}
