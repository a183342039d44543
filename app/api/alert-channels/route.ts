import { validateChannel } from "@/lib/alerts/channel-validation";
import { createChannel, listChannels, type Channel } from "@/lib/store/channel-store";
import { prisma } from "@/lib/store/prisma";
import { jsonOr400 } from "@/lib/web/json-response";
import { jsonBody } from "@/lib/web/request-body";

export const dynamic = "force-dynamic";

/** Secrets are write-only: the API says whether one is set, never what it is. */
const shown = ({ secret, ...c }: Channel) => ({ ...c, hasSecret: secret !== undefined });

export function GET() {
  return jsonOr400(async () => ({ channels: (await listChannels(prisma())).map(shown) }));
}

export async function POST(req: Request) {
  const parsed = await jsonBody(req);
  if ("response" in parsed) return parsed.response;
  const checked = validateChannel(parsed.body);
  if (!checked.ok) return Response.json({ errors: checked.errors }, { status: 400 });
  return Response.json({ channel: shown(await createChannel(prisma(), checked.value)) }, { status: 201 });
}
