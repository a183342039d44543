import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type RequestListener, type Server } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Proc, startCollectorProcess } from "../../lib/testing/processes";

/**
 * Scrapes take turns (PINCHPOINT_SCRAPE_CONCURRENCY), but targets that are down must not hold the
 * turns up: with one turn and three targets that never answer, a healthy target is still scraped
 * every interval.
 */
describe("scrape turns", () => {
  let collector: Proc & { port: number };
  const servers: Server[] = [];
  const healthyAt: number[] = [];

  const listen = async (handler: RequestListener): Promise<number> => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return (server.address() as { port: number }).port;
  };

  beforeAll(async () => {
    const healthy = await listen((_req, res) => { healthyAt.push(Date.now()); res.writeHead(200, { "Content-Type": "text/plain" }).end("ok 1\n"); });
    const silent = await Promise.all([0, 1, 2].map(() => listen(() => undefined))); // take the request, never answer
    const dir = mkdtempSync(join(tmpdir(), "pp-turns-"));
    const targets = [healthy, ...silent].map((p) => `"127.0.0.1:${p}"`).join(", ");
    writeFileSync(join(dir, "scrape.yml"), `scrape_configs:\n  - job_name: turns\n    scrape_interval: 1s\n    static_configs:\n      - targets: [${targets}]\n`);
    collector = await startCollectorProcess({ DATABASE_URL: `file:${join(dir, "s.db")}`, PINCHPOINT_SCRAPE_CONFIG: join(dir, "scrape.yml"), PINCHPOINT_SCRAPE_CONCURRENCY: "1" });
  });
  afterAll(async () => {
    await collector?.stop();
    for (const s of servers) { s.closeAllConnections(); s.close(); }
  });

  it("scrapes a healthy target every interval while down targets time out beside it", async () => {
    // The first round can queue the healthy target behind the three silent ones (1 s each); after
    // it, they no longer take turns.
    await new Promise((r) => setTimeout(r, 4000));
    const from = Date.now();
    await new Promise((r) => setTimeout(r, 5000));
    const inWindow = healthyAt.filter((t) => t >= from).length;
    // Had the silent targets kept taking the one turn, the healthy one would get about one in four seconds.
    expect(inWindow).toBeGreaterThanOrEqual(4);
  });
});
