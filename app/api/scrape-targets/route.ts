import { validateScrapeTarget } from "@/lib/metrics/scrape-target-validation";
import { prisma } from "@/lib/store/prisma";
import { createScrapeTarget, listScrapeTargets } from "@/lib/store/scrape-target-store";
import { jsonOr400 } from "@/lib/web/json-response";
import { jsonBody } from "@/lib/web/request-body";

export const dynamic = "force-dynamic";

/** GET /api/scrape-targets: every target (from the UI/API and from the scrape config file) with its last scrape. */
export function GET() {
  return jsonOr400(async () => ({ targets: await listScrapeTargets(prisma()) }));
}

/** POST /api/scrape-targets `{ url, job, intervalSeconds?, labels? }`: the collector starts scraping it within seconds. */
export async function POST(req: Request) {
  const parsed = await jsonBody(req);
  if ("response" in parsed) return parsed.response;
  const checked = validateScrapeTarget(parsed.body);
  if (!checked.ok) return Response.json({ errors: checked.errors }, { status: 400 });
  const existing = await listScrapeTargets(prisma());
  if (existing.some((t) => t.job === checked.value.job && t.url === checked.value.url)) {
    return Response.json({ errors: { url: `job "${checked.value.job}" already scrapes this URL` } }, { status: 400 });
  }
  return Response.json({ target: await createScrapeTarget(prisma(), checked.value) }, { status: 201 });
}
