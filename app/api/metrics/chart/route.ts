import { parseWindow } from "@/lib/analysis/time-window";
import { prisma } from "@/lib/store/prisma";
import { minuteStats } from "@/lib/store/metric-queries";
import { BadRequest, jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

const MAX_SERIES = 20;

/** GET /api/metrics/chart?series=<key>,<key>&window=1h: per-minute avg/max/last and counter rate of each series. */
export function GET(req: Request) {
  return jsonOr400(async () => {
    const params = new URL(req.url).searchParams;
    const w = parseWindow(params, Date.now());
    const keys = (params.get("series") ?? "").split(",").filter(Boolean).map(Number);
    if (keys.length === 0 || keys.length > MAX_SERIES || keys.some((k) => !Number.isSafeInteger(k))) {
      throw new BadRequest(`series must be 1 to ${MAX_SERIES} series keys, comma-separated`);
    }
    const stats = await minuteStats(prisma(), keys, Math.floor(w.from / 60_000), Math.floor(w.to / 60_000));
    return { ...w, series: keys.map((key) => ({ key, points: stats.get(key) ?? [] })) };
  });
}
