import { exportOpenSlo } from "@/lib/slos/openslo";
import { prisma } from "@/lib/store/prisma";
import { listSlos } from "@/lib/store/slo-store";

export const dynamic = "force-dynamic";

/** GET /api/slos/export: every SLO as OpenSLO v1 YAML, to keep in git. */
export async function GET() {
  return new Response(exportOpenSlo(await listSlos(prisma())), {
    headers: { "content-type": "text/yaml; charset=utf-8", "content-disposition": 'attachment; filename="slos.openslo.yaml"' },
  });
}
