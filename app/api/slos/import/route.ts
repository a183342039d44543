import { importOpenSlo } from "@/lib/slos/openslo";
import { validateSlo } from "@/lib/slos/validate";
import { prisma } from "@/lib/store/prisma";
import { createSlo, listSlos, updateSlo } from "@/lib/store/slo-store";

export const dynamic = "force-dynamic";

const MAX_BYTES = 1024 * 1024;

/**
 * POST /api/slos/import with OpenSLO YAML: an SLO whose name exists is replaced, others are
 * created, so re-importing the file kept in git is safe. Each invalid SLO is reported and skipped.
 */
export async function POST(req: Request) {
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BYTES) return Response.json({ error: `the YAML must be at most ${MAX_BYTES} bytes` }, { status: 413 });
  const parsed = importOpenSlo(text);
  const existing = new Map((await listSlos(prisma())).map((s) => [s.name.toLowerCase(), s.id]));
  const result = { created: [] as string[], updated: [] as string[], errors: [...parsed.errors] };
  for (const [i, input] of parsed.slos.entries()) {
    const name = String((input as { name?: unknown }).name ?? "").trim().toLowerCase();
    const taken = [...existing.keys()].filter((n) => n !== name);
    const checked = validateSlo(input, { takenNames: taken });
    if (!checked.ok) {
      result.errors.push(`SLO ${i + 1}: ${Object.entries(checked.errors).map(([f, m]) => `${f}: ${m}`).join("; ")}`);
      continue;
    }
    const id = existing.get(name);
    if (id) {
      await updateSlo(prisma(), id, checked.value);
      result.updated.push(checked.value.name);
    } else {
      existing.set(name, (await createSlo(prisma(), checked.value)).id);
      result.created.push(checked.value.name);
    }
  }
  return Response.json(result, { status: parsed.slos.length === 0 && result.errors.length > 0 ? 400 : 200 });
}
