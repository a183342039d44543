import { SpanKind, SpanStatusCode, context as otelContext, trace } from "@opentelemetry/api";
import { expect, test, type Page } from "@playwright/test";
import path from "node:path";
import { makeProvider } from "./support/otel";

const SCREENSHOTS = path.join(__dirname, "screenshots");

// Unique service names: the other spec files send their own traffic into the same server.
const REGRESS = "e2e-regress";
const REGRESS_OP = "GET /slow";
const FLAKY = "e2e-flaky";
const FLAKY_OP = "POST /pay";
const PER_WINDOW = 400;
const MIN = 60_000;

/**
 * Real OTLP/HTTP protobuf spans, with explicit start times:
 *  - e2e-regress GET /slow: 400 SERVER spans of ≈ 20 ms 90–70 min ago (the baseline of the 1h
 *    window), 400 of ≈ 200 ms in the last 10 minutes.
 *  - e2e-flaky POST /pay: 400 ok spans 90–70 min ago, 400 in the last 10 minutes of which 40 %
 *    have error status; same latency in both.
 */
async function sendTraffic() {
  const regress = makeProvider(REGRESS, "1.0.0-e2e", "pinchpoint-e2e-bottlenecks");
  const flaky = makeProvider(FLAKY, "1.0.0-e2e", "pinchpoint-e2e-bottlenecks");
  const now = Date.now();
  const baselineStart = now - 90 * MIN; // [now − 90 min, now − 70 min]
  const currentStart = now - 10 * MIN; //  [now − 10 min, now − 20 s]
  const baselineSpread = 20 * MIN;
  const currentSpread = 10 * MIN - 20_000;

  const send = (
    p: ReturnType<typeof makeProvider>,
    name: string,
    start: number,
    durationMs: number,
    attributes: Record<string, string>,
    error: boolean,
  ) => {
    const span = p.tracer.startSpan(name, { kind: SpanKind.SERVER, startTime: start, attributes }, otelContext.active());
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: "payment provider timed out" });
    span.end(start + durationMs);
  };

  for (let i = 0; i < PER_WINDOW; i++) {
    const tBase = baselineStart + (i / PER_WINDOW) * baselineSpread;
    const tNow = currentStart + (i / PER_WINDOW) * currentSpread;
    const slowAttrs = { "http.request.method": "GET", "http.route": "/slow" };
    const payAttrs = { "http.request.method": "POST", "http.route": "/pay" };
    send(regress, REGRESS_OP, tBase, 18 + (i % 5), slowAttrs, false); //   18–22 ms
    send(regress, REGRESS_OP, tNow, 190 + (i % 21), slowAttrs, false); //  190–210 ms
    send(flaky, FLAKY_OP, tBase, 30 + (i % 7), payAttrs, false);
    send(flaky, FLAKY_OP, tNow, 30 + (i % 7), payAttrs, i % 5 < 2); //      40 % errors
  }

  await Promise.all([regress.provider.forceFlush(), flaky.provider.forceFlush()]);
  await Promise.all([regress.provider.shutdown(), flaky.provider.shutdown()]);
  const results = [...regress.exporter.results, ...flaky.exporter.results];
  expect(results.length, "the exporters sent at least one request each").toBeGreaterThanOrEqual(2);
  for (const r of results) expect(r.code, `OTLP export failed: ${r.error?.message ?? "unknown error"}`).toBe(0);
}

function finding(page: Page, kind: string, service: string) {
  return page.locator(`[data-testid="finding"][data-kind="${kind}"]`).filter({ hasText: service });
}

test.describe.serial("bottlenecks", () => {
  test("a latency regression and an error spike sent with the OTLP exporter are found, ranked and explained", async ({
    page,
  }) => {
    await sendTraffic();

    const regression = finding(page, "latency_regression", REGRESS);
    const spike = finding(page, "error_spike", FLAKY);
    // Ingest is asynchronous (queue → batches → rollups): reload until both findings are listed.
    await page.goto("/bottlenecks?window=1h");
    await expect(page.getByRole("heading", { name: "Bottlenecks", level: 1 })).toBeVisible();
    await expect(async () => {
      await page.reload();
      await expect(regression).toHaveCount(1, { timeout: 3_000 });
      await expect(spike).toHaveCount(1, { timeout: 1_000 });
    }).toPass({ timeout: 90_000, intervals: [1_000, 2_000, 3_000] });

    await expect(page.getByRole("link", { name: "Bottlenecks", exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.locator('.segmented a[data-window="1h"]')).toHaveAttribute("aria-current", "true");

    // The regression: badge, what, the summary, the cost in words, the evidence side by side.
    await expect(regression.getByTestId("finding-kind")).toHaveText("Latency regression");
    await expect(regression.getByRole("heading")).toContainText(`${REGRESS} · ${REGRESS_OP}`);
    await expect(regression.getByTestId("finding-summary")).toContainText(`${REGRESS_OP} in ${REGRESS} got slower`);
    await expect(regression.getByTestId("finding-score")).toHaveText(/^≈ [\d.,]+ (ms|s|min|h) of user time lost in this window$/);
    // ≈ 180 ms more on each of 400 requests: about 72 s, said in minutes.
    await expect(regression.getByTestId("finding-score")).toContainText(/≈ 1(\.\d)? min/);
    const compare = regression.getByTestId("finding-compare");
    await expect(compare.locator("tbody tr").first()).toContainText("400");
    const p95Row = compare.locator("tbody tr").filter({ has: page.locator("th", { hasText: "p95" }) });
    await expect(p95Row.locator("td").nth(1)).toHaveClass(/\bbn-worse\b/); // now is worse
    await expect(p95Row.locator("td").nth(0)).not.toHaveClass(/\bbn-worse\b/);
    await expect(p95Row.locator("td").nth(0)).toHaveText(/^(1\d|2\d)(\.\d+)? ms$/);
    await expect(p95Row.locator("td").nth(1)).toHaveText(/^(19\d|20\d|21\d)(\.\d+)? ms$/);
    await expect(regression.getByTestId("finding-chart").locator(".recharts-bar-rectangle")).not.toHaveCount(0);
    await expect(regression.getByTestId("finding-test")).toContainText("requests above the baseline p95");
    await expect(regression.getByRole("link", { name: `${REGRESS} on the services page` })).toHaveAttribute(
      "href",
      `/?window=1h#svc-${REGRESS}`,
    );

    // The error spike: 40 % errors against none before; latency is unchanged, so no regression.
    await expect(spike.getByTestId("finding-kind")).toHaveText("Error spike");
    await expect(spike.getByTestId("finding-summary")).toContainText(`${FLAKY_OP} in ${FLAKY} fails more`);
    const errorsRow = spike.getByTestId("finding-compare").locator("tbody tr").filter({ has: page.locator("th", { hasText: "errors" }) });
    await expect(errorsRow.locator("td").nth(0)).toHaveText("0%");
    await expect(errorsRow.locator("td").nth(1)).toHaveText("40%");
    await expect(errorsRow.locator("td").nth(1)).toHaveClass(/\bbn-worse\b/);
    await expect(spike.getByTestId("finding-test")).toContainText("errors in");
    await expect(spike.getByTestId("finding-traces")).toHaveAttribute("href", /errorsOnly=true/);
    await expect(finding(page, "latency_regression", FLAKY)).toHaveCount(0);

    // Ranked by score: the rank badges follow the list order.
    const ranks = await page.locator('[data-testid="finding"] .bn-rank').allTextContents();
    expect(ranks).toEqual(ranks.map((_, i) => String(i + 1)));

    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "bottlenecks.png"), fullPage: true });

    // "Example traces →" lands on the trace search with the service filled in and slow traces listed.
    await regression.getByRole("link", { name: "Example traces →" }).click();
    await expect(page).toHaveURL(/\/traces\?.*service=e2e-regress/);
    await expect(page.getByRole("combobox", { name: "Service" })).toHaveValue(REGRESS);
    await expect(page.getByRole("combobox", { name: "Operation" })).toHaveValue(REGRESS_OP);
    await expect(page.getByTestId("trace-row").first()).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("trace-row").first()).toContainText(REGRESS_OP);
  });

  test("a critical-path hotspot leads to an example trace with its critical path drawn", async ({ page }) => {
    // e2e-shop GET /basket 0–100 ms waits on e2e-stock GET /level (28–92 ms); POST /log runs beside it.
    const shop = makeProvider("e2e-shop", "1.0.0-e2e", "pinchpoint-e2e-bottlenecks");
    const stock = makeProvider("e2e-stock", "1.0.0-e2e", "pinchpoint-e2e-bottlenecks");
    const base = Date.now() - 3 * MIN;
    for (let n = 0; n < 30; n++) {
      const at = (ms: number) => base + n * 1000 + ms;
      const root = shop.tracer.startSpan("GET /basket", { kind: SpanKind.SERVER, startTime: at(0) }, otelContext.active());
      const ctx = trace.setSpan(otelContext.active(), root);
      const call = shop.tracer.startSpan("GET /level", { kind: SpanKind.CLIENT, startTime: at(25) }, ctx);
      stock.tracer.startSpan("GET /level", { kind: SpanKind.SERVER, startTime: at(28) }, trace.setSpan(otelContext.active(), call)).end(at(92));
      call.end(at(95));
      shop.tracer.startSpan("POST /log", { kind: SpanKind.CLIENT, startTime: at(30) }, ctx).end(at(80));
      root.end(at(100));
    }
    await Promise.all([shop.provider.forceFlush(), stock.provider.forceFlush()]);
    expect([...shop.exporter.results, ...stock.exporter.results].every((r) => r.code === 0)).toBe(true);

    const hotspot = page.locator('[data-testid="finding"][data-kind="critical_path_hotspot"]', { hasText: "e2e-stock" });
    await expect(async () => {
      await page.goto("/bottlenecks?window=15m");
      await expect(hotspot).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(hotspot.getByTestId("finding-summary")).toContainText("GET /level in e2e-stock owns 64 % of the end-to-end latency");
    await expect(hotspot.getByTestId("critical-share")).toBeVisible();
    await expect(page.locator('[data-testid="finding"]', { hasText: "POST /log" })).toHaveCount(0);
    await hotspot.screenshot({ path: path.join(SCREENSHOTS, "hotspot.png") });

    await hotspot.getByRole("link", { name: /Example traces/ }).click();
    await expect(page).toHaveURL(/\/traces\?.*service=e2e-stock/);
    await page.locator("table a[href^='/traces/']").first().click();
    const row = page.locator('[data-testid="span-row"]', { hasText: "e2e-stock" });
    await expect(row).toBeVisible();
    await expect(row.locator('[data-testid="critical-section"]')).toHaveCount(1);
    await expect(page.locator('[data-testid="span-row"]', { hasText: "POST /log" }).locator('[data-testid="critical-section"]')).toHaveCount(0);
  });

  test("no findings and a failing API are said in words", async ({ page }) => {
    await page.route(
      (url) => url.pathname === "/api/bottlenecks",
      (route) =>
        route.fulfill({
          contentType: "application/json",
          body: JSON.stringify({ window: "1h", from: Date.now() - 3_600_000, to: Date.now(), findings: [] }),
        }),
    );
    await page.goto("/bottlenecks");
    const empty = page.getByTestId("bottlenecks-empty");
    await expect(empty).toContainText(
      "No bottlenecks found in the last hour: latency and error rates match the previous hour",
    );
    await expect(empty).toContainText("enough traffic");
    await page.screenshot({ path: test.info().outputPath("bottlenecks-empty.png") });

    await page.unrouteAll();
    await page.route(
      (url) => url.pathname === "/api/bottlenecks",
      (route) => route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: "store unreachable" }) }),
    );
    await page.goto("/bottlenecks?window=6h");
    await expect(page.getByTestId("error-state")).toContainText("Could not load the bottlenecks: HTTP 500: store unreachable", {
      timeout: 20_000,
    });
    await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();
  });
});
