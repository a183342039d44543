import { sendTestMessage } from "@/lib/alerts/test-message";
import { loadConfig } from "@/lib/config";
import { getChannel } from "@/lib/store/channel-store";
import { prisma } from "@/lib/store/prisma";
import { notFound } from "@/lib/web/request-body";

export const dynamic = "force-dynamic";

/** POST /api/alert-channels/:id/test: sends a sample alert now and says whether it arrived. */
export async function POST(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const channel = await getChannel(prisma(), (await params).id);
  if (!channel) return notFound("alert channel");
  const { delivered, statusCode, error } = await sendTestMessage(channel, loadConfig().publicUrl);
  return Response.json({ delivered, ...(statusCode === undefined ? {} : { statusCode }), ...(error ? { error } : {}) });
}
