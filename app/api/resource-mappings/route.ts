import { validateResourceMapping } from "@/lib/metrics/resource-mapping-validation";
import { prisma } from "@/lib/store/prisma";
import { createResourceMapping, listResourceMappings } from "@/lib/store/resource-mapping-store";
import { jsonOr400 } from "@/lib/web/json-response";
import { jsonBody } from "@/lib/web/request-body";

export const dynamic = "force-dynamic";

/** GET /api/resource-mappings: the user's resources (they add to, or replace, the ones found automatically). */
export function GET() {
  return jsonOr400(async () => ({ mappings: await listResourceMappings(prisma()) }));
}

export async function POST(req: Request) {
  const parsed = await jsonBody(req);
  if ("response" in parsed) return parsed.response;
  const checked = validateResourceMapping(parsed.body, (await listResourceMappings(prisma())).map((m) => m.name));
  if (!checked.ok) return Response.json({ errors: checked.errors }, { status: 400 });
  return Response.json({ mapping: await createResourceMapping(prisma(), checked.value) }, { status: 201 });
}
