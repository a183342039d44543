import { context as otelContext, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { expect, test, type Page } from "@playwright/test";
import path from "node:path";
import { COLLECTOR_PORT, makeProvider } from "./support/otel";

const SCREENSHOTS = path.join(__dirname, "screenshots");

// What the test sends, and so what the page must show.
const CHECKOUTS = 300; // frontend   SERVER "GET /checkout", each calling payments
const CHECKOUT_ERRORS = 10; //         3.3 %: highlighted
const PRODUCTS = 60; // frontend     SERVER "GET /products"
const CHARGES = CHECKOUTS; // payments SERVER "POST /charge" (one per checkout)
const CHARGE_ERRORS = 60; //          20 %: highlighted

/** A long-tailed latency in ms for request i: mostly 40–90, every 10th ≈ 200, every 25th ≈ 450. */
function checkoutMs(i: number, phase: number): number {
  const slowdown = 1 + 0.6 * Math.sin(phase * Math.PI); // a bump in the middle of the period
  if (i % 25 === 7) return 450 * slowdown;
  if (i % 10 === 3) return (180 + (i % 7) * 10) * slowdown;
  return (40 + ((i * 37) % 50)) * slowdown;
}

/**
 * Sends real OTLP/HTTP protobuf spans for two services with explicit times spread over the last
 * few minutes: frontend (GET /checkout → client POST /charge → payments POST /charge, and
 * GET /products) and payments, some with error status.
 */
async function sendTraffic() {
  const frontend = makeProvider("frontend", "1.0.0-e2e", "pinchpoint-e2e");
  const payments = makeProvider("payments", "1.0.0-e2e", "pinchpoint-e2e");
  const now = Date.now();
  const start = now - 10 * 60_000; // spread over [now − 10 min, now − 20 s]
  const spread = 10 * 60_000 - 20_000;

  for (let i = 0; i < CHECKOUTS; i++) {
    const t0 = start + (i / CHECKOUTS) * spread;
    const total = checkoutMs(i, i / CHECKOUTS);
    const chargeStart = t0 + 5;
    const charge = total - 15;
    const failed = i % 5 === 2; // 1 in 5 charges fails

    const root = frontend.tracer.startSpan(
      "GET /checkout",
      { kind: SpanKind.SERVER, startTime: t0, attributes: { "http.request.method": "GET", "http.route": "/checkout" } },
      otelContext.active(),
    );
    const rootCtx = trace.setSpan(otelContext.active(), root);
    const client = frontend.tracer.startSpan(
      "POST /charge",
      { kind: SpanKind.CLIENT, startTime: chargeStart, attributes: { "http.request.method": "POST" } },
      rootCtx,
    );
    const server = payments.tracer.startSpan(
      "POST /charge",
      { kind: SpanKind.SERVER, startTime: chargeStart + 1, attributes: { "http.request.method": "POST", "http.route": "/charge" } },
      trace.setSpan(otelContext.active(), client),
    );
    if (failed) {
      server.setStatus({ code: SpanStatusCode.ERROR, message: "card declined" });
      client.setStatus({ code: SpanStatusCode.ERROR });
    }
    server.end(chargeStart + charge - 1);
    client.end(chargeStart + charge);
    if (i % 30 === 2) root.setStatus({ code: SpanStatusCode.ERROR, message: "payment failed" });
    root.end(t0 + total);
  }

  for (let i = 0; i < PRODUCTS; i++) {
    const t0 = start + (i / PRODUCTS) * spread;
    const span = frontend.tracer.startSpan(
      "GET /products",
      { kind: SpanKind.SERVER, startTime: t0, attributes: { "http.request.method": "GET", "http.route": "/products" } },
      otelContext.active(),
    );
    span.end(t0 + 0.6 + (i % 4) * 0.2); // sub-millisecond: shown in µs
  }

  await Promise.all([frontend.provider.forceFlush(), payments.provider.forceFlush()]);
  await Promise.all([frontend.provider.shutdown(), payments.provider.shutdown()]);

  const results = [...frontend.exporter.results, ...payments.exporter.results];
  expect(results.length, "the exporters sent at least one request each").toBeGreaterThanOrEqual(2);
  for (const r of results) {
    expect(r.code, `OTLP export failed: ${r.error?.message ?? "unknown error"}`).toBe(0); // ExportResultCode.SUCCESS
  }
}

/** Reloads until the services show up: ingest is asynchronous (queue → batches → store). */
async function reloadUntilServicesShown(page: Page) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("service-frontend")).toBeVisible({ timeout: 3_000 });
    await expect(page.getByTestId("service-payments")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000, intervals: [1_000, 2_000, 3_000] });
}

async function expectServicesShown(page: Page) {
  const frontend = page.getByTestId("service-frontend");
  const payments = page.getByTestId("service-payments");

  // Headline request counts describe entry (server) spans only.
  await expect(frontend.getByTestId("service-count")).toHaveText(String(CHECKOUTS + PRODUCTS));
  await expect(payments.getByTestId("service-count")).toHaveText(String(CHARGES));

  // Operations with their request counts.
  const checkoutRow = frontend.getByTestId("operation-row").filter({ hasText: "GET /checkout" });
  await expect(checkoutRow).toHaveCount(1);
  await expect(checkoutRow).toContainText("server");
  await expect(checkoutRow.locator("td").nth(3)).toHaveText(String(CHECKOUTS));
  await expect(frontend.getByTestId("operation-row").filter({ hasText: "GET /products" })).toContainText(String(PRODUCTS));
  const chargeRow = payments.getByTestId("operation-row").filter({ hasText: "POST /charge" });
  await expect(chargeRow).toHaveCount(1);
  await expect(chargeRow.locator("td").nth(3)).toHaveText(String(CHARGES));

  // 1 in 5 charges failed: 20 %, above the 1 % threshold, so highlighted.
  await expect(chargeRow.locator("td.error-high")).toHaveText("20%");
  await expect(chargeRow.locator("td.error-high")).toHaveAttribute("title", `${CHARGE_ERRORS} errors`);
  await expect(checkoutRow.locator("td.error-high")).toHaveAttribute("title", `${CHECKOUT_ERRORS} errors`);
  await expect(frontend.getByTestId("operation-row").filter({ hasText: "GET /products" }).locator("td").nth(4)).toHaveText("0%");
  await expect(payments.locator(".figure.error-high dd")).toHaveText("20%");

  // Latency figures are formatted with units.
  await expect(chargeRow.locator("td").nth(7)).toHaveText(/^\d+(\.\d+)? (µs|ms|s)$/);

  // The charts render lines.
  for (const card of [frontend, payments]) {
    const chart = card.getByTestId("latency-chart");
    await expect(chart).toBeVisible();
    await expect(chart.locator("svg .recharts-line").first()).toBeAttached();
    expect(await chart.locator("svg .recharts-line").count()).toBe(3); // p50, p95, p99
  }
}

test.describe.serial("services overview", () => {
  test("empty state tells how to send data", async ({ page }) => {
    await page.goto("/");
    const empty = page.getByTestId("empty-state");
    await expect(empty).toBeVisible();
    await expect(empty).toContainText(`OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${COLLECTOR_PORT}`);
    await expect(empty).toContainText("OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
    await expect(empty).toContainText("otlphttp");
    await expect(page.getByRole("link", { name: "1h" })).toHaveAttribute("aria-current", "true");
    await page.screenshot({ path: path.join(SCREENSHOTS, "empty.png"), fullPage: true });
  });

  test("spans sent with the OTLP exporter show up as services", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("empty-state")).toBeVisible();

    await sendTraffic();
    await reloadUntilServicesShown(page);
    await expect(page.getByTestId("empty-state")).toHaveCount(0);
    await expectServicesShown(page);

    // A picture for the README: the traffic spans the last 10 minutes, so show 15 minutes.
    await page.goto("/?window=15m");
    await expectServicesShown(page);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "home.png"), fullPage: true });
  });

  test("window switch changes the URL and keeps the data", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("service-frontend")).toBeVisible();

    await page.getByRole("link", { name: "15m", exact: true }).click();
    await expect(page).toHaveURL(/[?&]window=15m\b/);
    await expect(page.getByRole("link", { name: "15m", exact: true })).toHaveAttribute("aria-current", "true");
    await expect(page.locator(".subtitle")).toContainText("last 15 minutes");
    await expectServicesShown(page);

    await page.getByRole("link", { name: "24h", exact: true }).click();
    await expect(page).toHaveURL(/[?&]window=24h\b/);
    await expect(page.locator(".subtitle")).toContainText("last 24 hours");
    await expectServicesShown(page);

    // A linked window survives a reload.
    await page.goto("/?window=6h");
    await expect(page.getByRole("link", { name: "6h", exact: true })).toHaveAttribute("aria-current", "true");
    await expectServicesShown(page);
  });

  test("an API failure is reported in words, with a retry", async ({ page }) => {
    let failing = true;
    await page.route(
      (url) => url.pathname === "/api/services",
      async (route) => {
        if (!failing) return route.fallback();
        await route.fulfill({
          status: 503,
          contentType: "application/json",
          body: JSON.stringify({ error: "store unreachable" }),
        });
      },
    );
    await page.goto("/");
    const error = page.getByTestId("error-state");
    await expect(error).toContainText("Could not load services: HTTP 503: store unreachable");

    failing = false;
    await error.getByRole("button", { name: "Retry" }).click();
    await expect(page.getByTestId("service-frontend")).toBeVisible();
  });
});
