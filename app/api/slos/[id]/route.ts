import { validateSlo } from "@/lib/slos/validate";
import { prisma } from "@/lib/store/prisma";
import { deleteSlo, getSlo, sloNamesExcept, updateSlo } from "@/lib/store/slo-store";
import { jsonBody, notFound } from "@/lib/web/request-body";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export async function GET(_req: Request, { params }: Params) {
  const slo = await getSlo(prisma(), (await params).id);
  return slo ? Response.json({ slo }) : notFound("SLO");
}

/** PUT /api/slos/:id replaces the definition; the same rules as POST. */
export async function PUT(req: Request, { params }: Params) {
  const { id } = await params;
  const parsed = await jsonBody(req);
  if ("response" in parsed) return parsed.response;
  if (!(await getSlo(prisma(), id))) return notFound("SLO");
  const checked = validateSlo(parsed.body, { takenNames: await sloNamesExcept(prisma(), id) });
  if (!checked.ok) return Response.json({ errors: checked.errors }, { status: 400 });
  const slo = await updateSlo(prisma(), id, checked.value);
  return slo ? Response.json({ slo }) : notFound("SLO");
}

export async function DELETE(_req: Request, { params }: Params) {
  const { id } = await params;
  return (await deleteSlo(prisma(), id)) ? Response.json({ deleted: id }) : notFound("SLO");
}
