import { recommend } from "@/lib/analysis/recommendations";
import { parseWindow } from "@/lib/analysis/time-window";
import { findBottlenecks } from "@/lib/bottlenecks";
import { loadConfig } from "@/lib/config";
import { prisma } from "@/lib/store/prisma";
import { jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/recommendations?window=1h: what to change, by how much and why, from the findings and
 * the resource measurements of the window, most user time at stake first.
 */
export function GET(req: Request) {
  return jsonOr400(async () => {
    const now = Date.now();
    const w = parseWindow(new URL(req.url).searchParams, now);
    const { findings, resources, loads } = await findBottlenecks(prisma(), w, now);
    const config = loadConfig();
    const policy = { targetUtilization: config.scalingTargetPercent / 100, minReplicas: config.scalingMinReplicas, maxReplicas: config.scalingMaxReplicas };
    const recommendations = recommend({ resources, services: loads, findings, policy: () => policy,
      window: { from: w.from, to: w.to, searchWindow: w.window === "custom" ? "24h" : w.window } });
    return { ...w, policy, recommendations };
  });
}
