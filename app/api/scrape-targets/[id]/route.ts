import { prisma } from "@/lib/store/prisma";
import { deleteScrapeTarget } from "@/lib/store/scrape-target-store";
import { notFound } from "@/lib/web/request-body";

export const dynamic = "force-dynamic";

export async function DELETE(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (id.startsWith("file:")) return Response.json({ error: "this target comes from the scrape config file (PINCHPOINT_SCRAPE_CONFIG): remove it there" }, { status: 400 });
  return (await deleteScrapeTarget(prisma(), id)) ? Response.json({ deleted: id }) : notFound("scrape target");
}
