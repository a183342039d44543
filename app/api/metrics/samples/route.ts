import { parseWindow } from "@/lib/analysis/time-window";
import { prisma } from "@/lib/store/prisma";
import { rawSamples } from "@/lib/store/metric-queries";
import { BadRequest, jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

/** GET /api/metrics/samples?series=<key>&window=15m (or from/to): the raw samples of one series, as stored. */
export function GET(req: Request) {
  return jsonOr400(async () => {
    const params = new URL(req.url).searchParams;
    const key = Number(params.get("series"));
    if (!Number.isSafeInteger(key) || key < 0) throw new BadRequest("series must be a series key (see /api/metrics/series)");
    const w = parseWindow(params, Date.now(), "15m");
    return { ...w, series: key, samples: await rawSamples(prisma(), key, w.from, w.to) };
  });
}
