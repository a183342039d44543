import { deleteChannel } from "@/lib/store/channel-store";
import { prisma } from "@/lib/store/prisma";
import { notFound } from "@/lib/web/request-body";

export const dynamic = "force-dynamic";

export async function DELETE(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (await deleteChannel(prisma(), id)) ? Response.json({ deleted: id }) : notFound("alert channel");
}
