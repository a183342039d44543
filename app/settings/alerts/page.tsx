import { AlertChannels } from "@/components/AlertChannels";

export const metadata = { title: "Alert settings" };

export default function AlertSettingsPage() {
  return <AlertChannels />;
}
