import { EditSlo } from "@/components/SloForm";

export const metadata = { title: "Edit SLO" };

export default async function EditSloPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EditSlo id={id} />;
}
