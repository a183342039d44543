import { AlertHistory } from "@/components/AlertHistory";

export const metadata = { title: "Alerts" };

export default function AlertsPage() {
  return <AlertHistory />;
}
