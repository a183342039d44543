import { SpanKind, context as otelContext } from "@opentelemetry/api";
import { expect, test } from "@playwright/test";
import { makeProvider } from "./support/otel";

// A unique service name: the other spec files send their own traffic into the same server.
const SERVICE = "e2e-attr";
const OPERATION = "GET /orders";
const PER_WINDOW = 300;
const MIN = 60_000;

/**
 * e2e-attr GET /orders: 300 SERVER spans of 15–19 ms 90–70 min ago (the baseline of the 1h
 * window), then 300 in the last 10 minutes of which every other one takes 200–220 ms and runs
 * "SELECT * FROM orders"; the fast half (10–14 ms) runs "SELECT 1" or "SELECT id FROM users".
 */
async function sendTraffic() {
  const p = makeProvider(SERVICE, "1.0.0-e2e", "pinchpoint-e2e-attributes");
  const now = Date.now();
  const send = (start: number, durationMs: number, statement: string) =>
    p.tracer
      .startSpan(OPERATION, { kind: SpanKind.SERVER, startTime: start, attributes: { "http.route": "/orders", "db.statement": statement } }, otelContext.active())
      .end(start + durationMs);
  for (let i = 0; i < PER_WINDOW; i++) {
    send(now - 90 * MIN + (i / PER_WINDOW) * 20 * MIN, 15 + (i % 5), i % 2 ? "SELECT 1" : "SELECT id FROM users");
    const tNow = now - 10 * MIN + (i / PER_WINDOW) * (10 * MIN - 20_000);
    if (i % 2 === 0) send(tNow, 200 + (i % 21), "SELECT * FROM orders");
    else send(tNow, 10 + (i % 5), i % 4 === 1 ? "SELECT 1" : "SELECT id FROM users");
  }
  await p.provider.forceFlush();
  await p.provider.shutdown();
  expect(p.exporter.results.length).toBeGreaterThanOrEqual(1);
  for (const r of p.exporter.results) expect(r.code, `OTLP export failed: ${r.error?.message ?? "unknown error"}`).toBe(0);
}

test.describe.serial("attribute comparison", () => {
  test("a latency regression opens to the attribute values its slow spans share", async ({ page }) => {
    await sendTraffic();
    const regression = page.locator('[data-testid="finding"][data-kind="latency_regression"]').filter({ hasText: SERVICE });
    await expect(async () => {
      await page.goto("/bottlenecks?window=1h");
      await expect(regression).toHaveCount(1, { timeout: 3_000 });
    }).toPass({ timeout: 90_000, intervals: [1_000, 2_000, 3_000] });

    const toggle = regression.getByRole("button", { name: "Compare attributes" });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(regression.getByTestId("attribute-comparison")).toHaveCount(0);
    await toggle.click();

    const comparison = regression.getByTestId("attribute-comparison");
    await expect(comparison).toHaveAttribute("data-state", "ready", { timeout: 20_000 });
    await expect(comparison).toContainText("150 slow spans");
    await expect(comparison).toContainText("against 150 others");
    const first = comparison.getByTestId("attribute-row").first();
    await expect(first).toHaveAttribute("data-key", "db.statement");
    await expect(first).toHaveAttribute("data-value", "SELECT * FROM orders");
    await expect(first.locator("td").nth(1)).toHaveText("100%");
    await expect(first.locator("td").nth(2)).toHaveText("0%");
    await expect(first.locator("td").nth(3)).toHaveText("only here");
    // The route is the same on every span: not over-represented, not listed.
    await expect(comparison.locator('[data-key="http.route"]')).toHaveCount(0);
    await regression.screenshot({ path: test.info().outputPath("attribute-comparison.png") });

    await regression.getByRole("button", { name: "Hide attribute comparison" }).click();
    await expect(regression.getByTestId("attribute-comparison")).toHaveCount(0);
  });

  test("a failing comparison is said in words", async ({ page }) => {
    await page.route(
      (url) => url.pathname === "/api/bottlenecks/attributes",
      (route) => route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: "store unreachable" }) }),
    );
    const regression = page.locator('[data-testid="finding"][data-kind="latency_regression"]').filter({ hasText: SERVICE });
    await page.goto("/bottlenecks?window=1h");
    await regression.getByRole("button", { name: "Compare attributes" }).click();
    await expect(regression.getByTestId("attribute-comparison")).toContainText(
      "Could not load the attribute comparison: HTTP 500: store unreachable",
      { timeout: 20_000 },
    );
  });
});
