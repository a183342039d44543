import { ScrapeTargets } from "@/components/ScrapeTargets";

export const metadata = { title: "Scrape targets" };

export default function ScrapeSettingsPage() {
  return <ScrapeTargets />;
}
