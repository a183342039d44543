import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { sendRequests, type SentRequest } from "../testing/otel-client";
import { type Proc, forEachStore, freePort, startCollectorProcess, startWebProcess } from "../testing/processes";

/** Stands in for Slack: records what an incoming webhook would receive. */
class SlackReceiver {
  received: { blocks: { type: string; text?: { text: string } }[]; text: string }[] = [];
  private server?: Server;
  constructor(readonly port: number) {}
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => { this.received.push(JSON.parse(body)); res.end("ok"); });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }
  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
    this.server?.closeAllConnections();
  }
  about(sloName: string, event: "FIRING" | "RESOLVED") {
    return this.received.filter((m) => m.blocks[0].text?.text.includes(`${event}: ${sloName}`));
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const requests = (n: number, errors: number, slowMs = 200): SentRequest[] =>
  Array.from({ length: n }, (_, i) => ({ error: i < errors, durationMs: i < errors ? slowMs : 20 }));

/** One rule that fires at 2× burn over 1 h and 5 m: the workbook's shape, with numbers a test can reach. */
const RULE = { name: "fast burn 1h/5m", severity: "page", factor: 2, longWindowMinutes: 60, shortWindowMinutes: 5, forMinutes: 0 };

function suite(name: string, databaseUrl: () => Promise<{ url: string; cleanup(): Promise<void> }>) {
  describe(`SLO alerting (${name})`, () => {
    let db: { url: string; cleanup(): Promise<void> };
    let collector: Proc & { port: number };
    let web: Proc & { port: number };
    let slack: SlackReceiver;
    const collectorEnv = () => ({ DATABASE_URL: db.url, PINCHPOINT_ALERT_EVALUATION_SECONDS: "1", PINCHPOINT_PUBLIC_URL: "http://pinchpoint.test" });
    const api = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${web.port}${path}`,
      { ...init, headers: { "content-type": "application/json" } }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const send = (list: SentRequest[]) =>
      sendRequests({ endpoint: `http://127.0.0.1:${collector.port}`, protocol: "proto", gzip: false, service: "payments" }, list, Date.now(), 90_000);

    beforeAll(async () => {
      db = await databaseUrl();
      slack = new SlackReceiver(await freePort());
      await slack.start();
      collector = await startCollectorProcess(collectorEnv());
      web = await startWebProcess({ DATABASE_URL: db.url, COLLECTOR_PORT: String(collector.port) });
      const channel = await api("/api/alert-channels", { method: "POST", body: JSON.stringify({ name: "#sre", kind: "slack", url: `http://127.0.0.1:${slack.port}/hook` }) });
      expect(channel.status).toBe(201);
    });
    afterAll(async () => {
      await Promise.all([web?.stop(), collector?.stop(), slack?.stop()]);
      await db?.cleanup();
    });

    it("reports the burn rates of a known error ratio, fires once, and resolves once when the ratio falls", async () => {
      // 200 requests, 50 failing (and slow): 25 % bad against a 10 % budget is a 2.5× burn in every window.
      await send(requests(200, 50));
      const create = (body: object) => api("/api/slos", { method: "POST", body: JSON.stringify(body) });
      const availability = await create({ name: "payments availability", service: "payments", sli: "availability", target: 0.9, windowDays: 30, rules: [RULE], minEvents: 10 });
      expect(availability.status).toBe(201);
      const latency = await create({ name: "payments latency", service: "payments", operation: "GET /items", sli: "latency", thresholdMs: 100, target: 0.9, windowDays: 30, rules: [], minEvents: 10 });
      expect(latency.status).toBe(201);

      for (const slo of [availability.body.slo, latency.body.slo]) {
        const status = (await api(`/api/slos/${slo.id}/status`)).body;
        expect(status).toMatchObject({ good: 150, total: 200 });
        expect(status.sli).toBeCloseTo(0.75, 9);
        expect(status.errorBudgetRemaining).toBeCloseTo(1 - 50 / (0.1 * 200), 9);
        for (const w of ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]) expect(status.burnRates[w]).toBeCloseTo(2.5, 9);
      }

      const fired = await until("the firing message", async () => slack.about("payments availability", "FIRING")[0]);
      expect(JSON.stringify(fired)).toContain(`http://pinchpoint.test/slos/${availability.body.slo.id}`);
      expect(JSON.stringify(fired)).toMatch(/2\.5×/);
      const status = (await api(`/api/slos/${availability.body.slo.id}/status`)).body;
      expect(status.alerts[0]).toMatchObject({ name: RULE.name, firing: true, longWindow: "1h", shortWindow: "5m" });
      expect(status.state).toBe("burning fast");
      // The burn joins the bottleneck ranking, linked to the SLO: 50 failed requests, a second each at least.
      const findings = (await api("/api/bottlenecks?window=1h")).body.findings as { kind: string; score: number; evidence: { sloUrl?: string } }[];
      const budget = findings.find((f) => f.kind === "error_budget_burn");
      expect(budget).toMatchObject({ score: 50_000, evidence: { sloUrl: `/slos/${availability.body.slo.id}` } });

      // The errors stop and traffic goes on: 50 bad of 1000 is a 0.5× burn, under the rule's 2×.
      await send(requests(800, 0));
      await until("the resolved message", async () => slack.about("payments availability", "RESOLVED")[0]);
      await new Promise((r) => setTimeout(r, 3000)); // three more evaluations: nothing more is sent
      expect(slack.about("payments availability", "FIRING")).toHaveLength(1);
      expect(slack.about("payments availability", "RESOLVED")).toHaveLength(1);
      expect(slack.received.filter((m) => m.text.includes("payments latency"))).toHaveLength(0); // it has no rules

      const history = (await api(`/api/alerts?sloId=${availability.body.slo.id}`)).body.alerts;
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({ rule: RULE.name, severity: "page", state: "resolved" });
      expect(history[0].deliveries.map((d: { event: string; status: string; attempts: number }) => [d.event, d.status, d.attempts]))
        .toEqual([["firing", "delivered", 1], ["resolved", "delivered", 1]]);
    });

    it("retries while Slack is down and delivers once it is back, across a collector crash", async () => {
      await slack.stop();
      // 5 % bad (50 of 1000) against a 1 % budget: a 5× burn, over the rule's 2×.
      const strict = await api("/api/slos", { method: "POST", body: JSON.stringify({ name: "payments strict", service: "payments", sli: "availability", target: 0.99, windowDays: 30, rules: [RULE], minEvents: 10 }) });
      const failing = await until("a failed attempt", async () => {
        const [alert] = (await api(`/api/alerts?sloId=${strict.body.slo.id}`)).body.alerts;
        const delivery = alert?.deliveries[0];
        return delivery?.attempts >= 1 ? delivery : undefined;
      });
      expect(failing).toMatchObject({ status: "pending", event: "firing" });
      expect(failing.lastError).toMatch(/ECONNREFUSED|fetch failed/);

      await collector.stop("SIGKILL");
      await slack.start();
      collector = await startCollectorProcess({ ...collectorEnv(), COLLECTOR_PORT: String(collector.port) });
      await until("the delivery after the restart", async () => slack.about("payments strict", "FIRING")[0], 60_000);
      await new Promise((r) => setTimeout(r, 2000));
      expect(slack.about("payments strict", "FIRING")).toHaveLength(1);
      const [alert] = (await api(`/api/alerts?sloId=${strict.body.slo.id}`)).body.alerts;
      expect(alert.state).toBe("firing");
      expect(alert.deliveries[0].status).toBe("delivered");
      expect(alert.deliveries[0].attempts).toBeGreaterThan(1);
    });
  });
}

forEachStore(suite);
