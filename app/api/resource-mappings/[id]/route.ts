import { prisma } from "@/lib/store/prisma";
import { deleteResourceMapping } from "@/lib/store/resource-mapping-store";
import { notFound } from "@/lib/web/request-body";

export const dynamic = "force-dynamic";

export async function DELETE(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (await deleteResourceMapping(prisma(), id)) ? Response.json({ deleted: id }) : notFound("resource mapping");
}
