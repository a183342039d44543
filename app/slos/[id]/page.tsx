import { SloDetail } from "@/components/SloDetail";

export const metadata = { title: "SLO" };

export default async function SloPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SloDetail id={id} />;
}
