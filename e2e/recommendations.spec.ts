import { SpanKind, context as otelContext } from "@opentelemetry/api";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import path from "node:path";
import { remoteWrite } from "../lib/testing/remote-write-client";
import { cpuLoad, cpuSeries, poolLoad, poolSeries, scenarioRequests, scenarioStart } from "../lib/testing/scaling-scenario";
import { COLLECTOR_PORT, makeProvider } from "./support/otel";

const SCREENSHOTS = path.join(__dirname, "screenshots");

// Unique names: the other spec files send their own traffic into the same server.
const CART = "e2e-cart";
const ORDERS = "e2e-orders";
const BILLING = "e2e-billing";
const POOL = "e2e shop database connections";

/** The scenario of lib/testing/scaling-scenario.ts under this spec's service names. */
const START = scenarioStart();

async function sendSpans() {
  for (const [service, load] of [[CART, cpuLoad], [ORDERS, poolLoad], [BILLING, poolLoad]] as const) {
    const { provider, exporter, tracer } = makeProvider(service, "1.0.0-e2e", "pinchpoint-e2e-recommendations");
    for (const r of scenarioRequests(load, START)) {
      tracer.startSpan(`GET /${service}`, { kind: SpanKind.SERVER, startTime: r.startMs }, otelContext.active()).end(r.endMs);
    }
    await provider.forceFlush();
    await provider.shutdown();
    for (const r of exporter.results) expect(r.code, `OTLP export failed: ${r.error?.message ?? "unknown error"}`).toBe(0);
  }
}

interface ApiRecommendation {
  kind: string;
  service: string;
  current: unknown;
  suggested: unknown;
  manifest?: { kind: string; yaml: string };
}

async function recommendations(request: APIRequestContext): Promise<ApiRecommendation[]> {
  const res = await request.get("/api/recommendations?window=1h");
  expect(res.ok()).toBe(true);
  return (await res.json()).recommendations;
}

/** The card of one kind for one service (by its heading: rationales name other services too). */
function card(page: Page, kind: string, service: string) {
  return page
    .locator(`[data-testid="recommendation"][data-kind="${kind}"]`)
    .filter({ has: page.locator(".rc-service").getByText(service, { exact: true }) });
}

test.describe.serial("recommendations", () => {
  let scaleOut: ApiRecommendation;

  test.beforeAll(async ({ request }) => {
    test.setTimeout(150_000);
    const write = await remoteWrite(`http://127.0.0.1:${COLLECTOR_PORT}/api/v1/write`, [
      ...cpuSeries(CART, ["10.9.0.1:9464", "10.9.0.2:9464", "10.9.0.3:9464"], START), ...poolSeries("e2e-postgres", "e2e-db:9187", START),
    ]);
    expect(write.status, await write.text()).toBe(204);
    await sendSpans();
    // The shared database, as its users would declare it: two services, one pool.
    const mapping = await request.post("/api/resource-mappings", {
      data: {
        name: POOL,
        kind: "pool",
        services: [ORDERS, BILLING],
        usageMetric: "pg_stat_activity_count",
        capacityMetric: "pg_settings_max_connections",
      },
    });
    expect(mapping.ok(), await mapping.text()).toBe(true);
    // Metric minutes are rolled up every 10 s, traces analysed after 2 quiet seconds.
    await expect
      .poll(
        async () => {
          const recs = await recommendations(request);
          const out = recs.find((r) => r.kind === "scale_out" && r.service === CART);
          if (out && recs.some((r) => r.kind === "do_not_scale" && r.service === ORDERS)) scaleOut = out;
          return scaleOut ? "ready" : `${recs.length} recommendations: ${recs.map((r) => `${r.kind}:${r.service}`).join(", ")}`;
        },
        { timeout: 120_000, intervals: [2_000] },
      )
      .toBe("ready");
  });

  test("the scale-out card says 3 → 4, predicts p95 per replica count and copies its HPA", async ({ page, context }) => {
    expect(scaleOut).toMatchObject({ current: 3, suggested: 4, manifest: { kind: "HorizontalPodAutoscaler" } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);

    await page.goto("/recommendations?window=1h");
    await expect(page.getByRole("heading", { name: "Recommendations", level: 1 })).toBeVisible();
    await expect(page.getByRole("link", { name: "Recommendations", exact: true })).toHaveAttribute("aria-current", "page");

    const out = card(page, "scale_out", CART);
    await expect(out).toHaveCount(1);
    await expect(out.getByTestId("recommendation-kind")).toHaveText("Scale out");
    await expect(out.getByRole("heading", { level: 2 })).toContainText(`${CART} · CPU of ${CART}`);
    await expect(out.getByTestId("recommendation-change")).toHaveText("3 → 4 replicas");
    await expect(out.getByTestId("recommendation-rationale")).toContainText("ceil(3 × 0.92 / 0.70) = 4");
    await expect(out.getByTestId("recommendation-figures")).toContainText("HPA formula");

    // The what-if: one bar per replica count from now (3) upwards, now and the advice marked.
    const predicted = out.getByTestId("predicted-chart");
    await expect(predicted.locator(".recharts-bar-rectangle")).toHaveCount(4);
    await expect(predicted).toContainText("3 (now)");
    await expect(predicted).toContainText("4 (advised)");
    await expect(predicted.locator(".recharts-label-list")).toContainText(/\d+(\.\d+)? (ms|s|min)/);

    // The manifest: shown, copied as it is, and offered as a file.
    const manifest = out.getByTestId("manifest");
    await expect(manifest.locator("pre")).toContainText("kind: HorizontalPodAutoscaler");
    await manifest.getByRole("button", { name: "Copy" }).click();
    await expect(manifest.getByRole("button", { name: "Copied" })).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(scaleOut.manifest!.yaml);
    expect(copied).toContain(`name: ${CART}`);
    await expect(manifest.getByRole("link", { name: /Download/ })).toHaveAttribute("download", `${CART}-hpa.yaml`);

    // Scaling the shared database's users is called out, and the limit in front of it advised.
    const hold = card(page, "do_not_scale", ORDERS);
    await expect(hold.getByTestId("recommendation-kind")).toHaveText("Do not scale");
    await expect(hold.getByTestId("recommendation-rationale")).toContainText(POOL);
    await expect(card(page, "scale_out", ORDERS)).toHaveCount(0);
    const limit = page.locator('[data-testid="recommendation"][data-kind="rate_limit"]').filter({ hasText: POOL });
    await expect(limit.getByTestId("recommendation-kind")).toHaveText("Limit concurrency");

    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "recommendations.png"), fullPage: true });

    // From the card to the service: its latency and its CPU on one time axis.
    await out.getByRole("link", { name: `${CART} charts` }).click();
    await expect(page).toHaveURL(new RegExp(`/services/${CART}\\?window=1h$`));
    await expect(page.getByRole("heading", { name: CART, level: 1 })).toBeVisible();
    const latency = page.getByTestId("service-latency").getByTestId("latency-chart");
    await expect(latency.locator(".recharts-line-curve").first()).toBeVisible();
    const cpu = page.getByTestId("service-resource").filter({ hasText: `CPU of ${CART}` });
    await expect(cpu).toContainText("3 instances");
    await expect(cpu.getByTestId("resource-chart").locator(".recharts-line-curve").first()).toBeVisible();
    await expect(cpu.getByTestId("resource-chart")).toContainText("80 % saturated");
    // Same window, same ticks: the two x axes read the same times.
    const ticks = (chart: typeof latency) => chart.locator(".recharts-xAxis .recharts-cartesian-axis-tick-value").allTextContents();
    expect(await ticks(cpu.getByTestId("resource-chart"))).toEqual(await ticks(latency));
    await expect(page.getByTestId("service-recommendations")).toContainText("Scale out: 3 → 4");
    await expect(page.getByTestId("service-findings")).toContainText("Saturation");
    await expect(page.getByTestId("operation-row")).toContainText(`GET /${CART}`);

    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "service-detail.png"), fullPage: true });
  });

  test("the saturation finding shows the resource against the latency and leads to the service", async ({ page }) => {
    await page.goto("/bottlenecks?window=1h");
    const finding = page.locator('[data-testid="finding"][data-kind="saturation"]').filter({ hasText: `CPU of ${CART}` });
    await expect(finding).toHaveCount(1, { timeout: 20_000 });
    await expect(finding.getByTestId("finding-kind")).toHaveText("Saturation");
    await expect(finding.getByTestId("finding-test")).toContainText(`Pearson r = `);
    await expect(finding.getByTestId("saturation-evidence")).toContainText("92 %");
    await expect(finding.getByTestId("saturation-chart").locator(".recharts-line-curve")).toHaveCount(2);
    await expect(finding.getByTestId("saturation-shared")).toHaveCount(0);

    const shared = page
      .locator('[data-testid="finding"][data-kind="saturation"]')
      .filter({ has: page.locator(".bn-service").getByText(ORDERS, { exact: true }) });
    await expect(shared.getByTestId("saturation-shared")).toContainText(`Shared by 2 services (${ORDERS}, ${BILLING})`);

    await page.mouse.move(0, 0);
    await finding.screenshot({ path: path.join(SCREENSHOTS, "saturation.png") });
    await shared.screenshot({ path: test.info().outputPath("saturation-shared.png") });

    await finding.getByTestId("finding-service-page").click();
    await expect(page).toHaveURL(new RegExp(`/services/${CART}\\?window=1h$`));
    await expect(page.getByTestId("service-resource")).toContainText(`CPU of ${CART}`);
  });

  test("no advice, a failing API and an unknown service are said in words", async ({ page }) => {
    await page.route(
      (url) => url.pathname === "/api/recommendations",
      (route) =>
        route.fulfill({
          contentType: "application/json",
          body: JSON.stringify({
            window: "1h", from: Date.now() - 3_600_000, to: Date.now(),
            policy: { targetUtilization: 0.7, minReplicas: 1, maxReplicas: 10 }, recommendations: [],
          }),
        }),
    );
    await page.goto("/recommendations");
    const empty = page.getByTestId("recommendations-empty");
    await expect(empty).toContainText("Nothing to change in the last hour");
    await expect(empty.getByRole("link", { name: "scrape targets" })).toHaveAttribute("href", "/settings/scrape");
    await page.screenshot({ path: test.info().outputPath("recommendations-empty.png") });

    await page.unrouteAll();
    await page.route(
      (url) => url.pathname === "/api/recommendations",
      (route) => route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: "store unreachable" }) }),
    );
    await page.goto("/recommendations?window=6h");
    await expect(page.getByTestId("error-state")).toContainText("Could not load the recommendations: HTTP 500: store unreachable", {
      timeout: 20_000,
    });

    await page.goto("/services/e2e-nobody");
    await expect(page.getByTestId("service-missing")).toContainText("No spans from e2e-nobody in the last hour");
  });
});
