import { SloList } from "@/components/SloList";

export const metadata = { title: "SLOs" };

export default function SlosPage() {
  return <SloList />;
}
