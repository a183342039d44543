import { sloSummary } from "@/lib/slos/status";
import { validateSlo } from "@/lib/slos/validate";
import { prisma } from "@/lib/store/prisma";
import { createSlo, listSlos, sloNamesExcept } from "@/lib/store/slo-store";
import { jsonOr400 } from "@/lib/web/json-response";
import { jsonBody } from "@/lib/web/request-body";

export const dynamic = "force-dynamic";

/** GET /api/slos: every SLO with a summary of where it stands now. */
export function GET() {
  return jsonOr400(async () => {
    const now = Date.now();
    const slos = await listSlos(prisma());
    return { slos: await Promise.all(slos.map(async (slo) => ({ ...slo, summary: await sloSummary(prisma(), slo, now) }))) };
  });
}

/** POST /api/slos: 201 with the new SLO, or 400 with `errors` per field. */
export async function POST(req: Request) {
  const parsed = await jsonBody(req);
  if ("response" in parsed) return parsed.response;
  const checked = validateSlo(parsed.body, { takenNames: await sloNamesExcept(prisma()) });
  if (!checked.ok) return Response.json({ errors: checked.errors }, { status: 400 });
  return Response.json({ slo: await createSlo(prisma(), checked.value) }, { status: 201 });
}
