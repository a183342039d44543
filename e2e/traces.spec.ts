import { context as otelContext, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { expect, test, type Page } from "@playwright/test";
import path from "node:path";
import { makeProvider } from "./support/otel";

const SCREENSHOTS = path.join(__dirname, "screenshots");

// Unique service names: services.spec.ts may run in the same server before or after this file.
const GATEWAY = "e2e-gateway";
const INVENTORY = "e2e-inventory";

/**
 * One trace, explicit times relative to t0 (ms):
 *   e2e-gateway   SERVER   GET /orders      0–100
 *   e2e-gateway   CLIENT   SELECT orders    5–25
 *   e2e-gateway   INTERNAL audit           10–20   (overlaps SELECT orders, which ends later: off the critical path)
 *   e2e-gateway   CLIENT   call inventory  30–90
 *   e2e-inventory SERVER   GET /stock      35–85   error
 * Returns the trace id.
 */
async function sendOrderTrace(): Promise<string> {
  const gateway = makeProvider(GATEWAY, "2.0.0-e2e", "pinchpoint-e2e-traces");
  const inventory = makeProvider(INVENTORY, "2.0.0-e2e", "pinchpoint-e2e-traces");
  const t0 = Date.now() - 60_000;

  const root = gateway.tracer.startSpan(
    "GET /orders",
    { kind: SpanKind.SERVER, startTime: t0, attributes: { "http.request.method": "GET", "http.route": "/orders" } },
    otelContext.active(),
  );
  const rootCtx = trace.setSpan(otelContext.active(), root);
  const select = gateway.tracer.startSpan(
    "SELECT orders",
    { kind: SpanKind.CLIENT, startTime: t0 + 5, attributes: { "db.system": "postgresql", "db.operation.name": "SELECT" } },
    rootCtx,
  );
  select.end(t0 + 25);
  const audit = gateway.tracer.startSpan("audit", { kind: SpanKind.INTERNAL, startTime: t0 + 10 }, rootCtx);
  audit.end(t0 + 20);
  const call = gateway.tracer.startSpan(
    "call inventory",
    { kind: SpanKind.CLIENT, startTime: t0 + 30, attributes: { "http.request.method": "GET", "server.address": "inventory" } },
    rootCtx,
  );
  const stock = inventory.tracer.startSpan(
    "GET /stock",
    {
      kind: SpanKind.SERVER,
      startTime: t0 + 35,
      attributes: { "http.request.method": "GET", "http.route": "/stock", "http.response.status_code": 503, "stock.sku": "sku-42" },
    },
    trace.setSpan(otelContext.active(), call),
  );
  stock.addEvent("cache miss", { "cache.key": "sku-42" }, t0 + 40);
  stock.setStatus({ code: SpanStatusCode.ERROR, message: "stock store unavailable" });
  stock.end(t0 + 85);
  call.end(t0 + 90);
  root.end(t0 + 100);

  const traceId = root.spanContext().traceId;
  await Promise.all([gateway.provider.forceFlush(), inventory.provider.forceFlush()]);
  await Promise.all([gateway.provider.shutdown(), inventory.provider.shutdown()]);
  const results = [...gateway.exporter.results, ...inventory.exporter.results];
  expect(results.length, "the exporters sent at least one request each").toBeGreaterThanOrEqual(2);
  for (const r of results) expect(r.code, `OTLP export failed: ${r.error?.message ?? "unknown error"}`).toBe(0);
  return traceId;
}

function spanRow(page: Page, name: string) {
  return page.getByTestId("span-row").filter({ has: page.locator(".wf-name").getByText(name, { exact: true }) });
}

test.describe.serial("traces", () => {
  let traceId = "";

  test("search finds a trace sent with the OTLP exporter, and its waterfall shows the critical path", async ({ page }) => {
    traceId = await sendOrderTrace();

    await page.goto("/traces");
    await expect(page.getByRole("heading", { name: "Traces" })).toBeVisible();
    const serviceSelect = page.getByRole("combobox", { name: "Service" });
    // Ingest is asynchronous (queue → batches → store): reload until the service is offered.
    await expect(async () => {
      await page.reload();
      await expect(serviceSelect.locator(`option[value="${GATEWAY}"]`)).toBeAttached({ timeout: 3_000 });
    }).toPass({ timeout: 60_000, intervals: [1_000, 2_000, 3_000] });

    await serviceSelect.selectOption(GATEWAY);
    await expect(page).toHaveURL(new RegExp(`[?&]service=${GATEWAY}\\b`));
    const row = page.locator(`[data-testid="trace-row"][data-trace-id="${traceId}"]`);
    await expect(async () => {
      await page.reload();
      await expect(row).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 30_000, intervals: [1_000, 2_000] });
    await expect(row).toContainText("GET /orders");
    await expect(row).toContainText(GATEWAY);
    await expect(row).toContainText("100 ms");
    // The operation select now lists the gateway's operations only.
    await expect(page.getByRole("combobox", { name: "Operation" }).locator('option[value="GET /orders"]')).toBeAttached();
    await expect(page.getByRole("combobox", { name: "Operation" }).locator('option[value="GET /stock"]')).toHaveCount(0);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "trace-search.png"), fullPage: true });

    await row.getByRole("link", { name: "GET /orders" }).click();
    await expect(page).toHaveURL(new RegExp(`/traces/${traceId}$`));

    const waterfall = page.getByTestId("waterfall");
    await expect(waterfall).toBeVisible();
    await expect(waterfall.getByTestId("span-row")).toHaveCount(5);
    await expect(page.getByTestId("trace-span-count")).toHaveText("5");
    await expect(page.getByTestId("trace-duration")).toHaveText("100 ms");
    await expect(page.getByTestId("trace-error-count")).toHaveText("1");
    await expect(page.getByTestId("trace-header")).toContainText(INVENTORY);

    // Nesting: rows in depth-first order, children by start time.
    await expect(waterfall.locator(".wf-name")).toHaveText(["GET /orders", "SELECT orders", "audit", "call inventory", "GET /stock"]);
    await expect(spanRow(page, "GET /stock")).toHaveAttribute("aria-level", "3");

    // The critical path: GET /orders, SELECT orders, call inventory, GET /stock — not audit.
    for (const name of ["GET /orders", "SELECT orders", "call inventory", "GET /stock"]) {
      await expect(spanRow(page, name).getByTestId("critical-section"), `${name} is on the critical path`).not.toHaveCount(0);
    }
    await expect(spanRow(page, "audit").getByTestId("critical-section")).toHaveCount(0);
    // call inventory is on the path twice (before and after GET /stock), the root three times.
    await expect(spanRow(page, "call inventory").getByTestId("critical-section")).toHaveCount(2);

    // The error is marked on the row.
    await expect(spanRow(page, "GET /stock")).toHaveClass(/\berror\b/);
    await expect(spanRow(page, "GET /stock").locator(".wf-err-icon")).toBeVisible();

    // Details of GET /stock: error, attributes, resource, events, critical-path time.
    await spanRow(page, "GET /stock").click();
    const details = page.getByTestId("span-details");
    await expect(details).toBeVisible();
    await expect(details.getByTestId("span-status")).toContainText("Error: stock store unavailable");
    await expect(details).toContainText("server");
    await expect(details.getByTestId("span-attributes")).toContainText("http.route");
    await expect(details.getByTestId("span-attributes")).toContainText("/stock");
    await expect(details.getByTestId("span-attributes")).toContainText("sku-42");
    await expect(details.getByTestId("span-resource")).toContainText(INVENTORY);
    await expect(details.getByTestId("span-events")).toContainText("cache miss");
    await expect(details.getByTestId("span-events")).toContainText("+5 ms");
    await expect(details.getByTestId("span-self")).toHaveText("50 ms");
    await expect(details.getByTestId("span-critical")).toContainText("50 ms");
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "trace.png"), fullPage: true });

    // "Show critical path only" dims the rest.
    await page.getByTestId("critical-only").check();
    await expect(spanRow(page, "audit")).toHaveClass(/\bdimmed\b/);
    await expect(spanRow(page, "GET /stock")).not.toHaveClass(/\bdimmed\b/);
    await page.getByTestId("critical-only").uncheck();

    // Collapsing call inventory hides GET /stock; expanding shows it again.
    await spanRow(page, "call inventory").getByRole("button", { name: /collapse/i }).click();
    await expect(waterfall.getByTestId("span-row")).toHaveCount(4);
    await expect(spanRow(page, "GET /stock")).toHaveCount(0);
    await spanRow(page, "call inventory").getByRole("button", { name: /expand/i }).click();
    await expect(waterfall.getByTestId("span-row")).toHaveCount(5);
  });

  test("a search can be linked, and the home page's operations link to it", async ({ page }) => {
    await page.goto(`/traces?service=${GATEWAY}&operation=${encodeURIComponent("GET /orders")}&window=15m&errorsOnly=true`);
    await expect(page.getByRole("combobox", { name: "Service" })).toHaveValue(GATEWAY);
    await expect(page.getByRole("combobox", { name: "Operation" })).toHaveValue("GET /orders");
    await expect(page.getByRole("combobox", { name: "Window" })).toHaveValue("15m");
    await expect(page.getByRole("checkbox", { name: "Errors only" })).toBeChecked();
    // The root span has no error status: nothing matches, said in words.
    await expect(page.getByTestId("traces-empty")).toContainText("No traces match these filters");
    await page.getByRole("checkbox", { name: "Errors only" }).uncheck();
    await expect(page).not.toHaveURL(/errorsOnly/);
    await expect(page.locator(`[data-testid="trace-row"][data-trace-id="${traceId}"]`)).toBeVisible();

    await page.goto("/?window=6h");
    const card = page.getByTestId(`service-${GATEWAY}`);
    await expect(card).toBeVisible({ timeout: 30_000 });
    const link = card.getByTestId("operation-row").getByRole("link", { name: "GET /orders" });
    await expect(link).toHaveAttribute("href", `/traces?service=${GATEWAY}&operation=GET%20%2Forders&window=6h`);
    await link.click();
    await expect(page).toHaveURL(/\/traces\?service=e2e-gateway&operation=GET%20%2Forders&window=6h/);
    await expect(page.getByRole("combobox", { name: "Operation" })).toHaveValue("GET /orders");
    await expect(page.locator(`[data-testid="trace-row"][data-trace-id="${traceId}"]`)).toBeVisible();
    await expect(page.getByRole("link", { name: "Traces", exact: true })).toHaveAttribute("aria-current", "page");
  });

  test("an unknown trace id is reported in words", async ({ page }) => {
    await page.goto("/traces/0123456789abcdef0123456789abcdef");
    const error = page.getByTestId("trace-error");
    await expect(error).toContainText("Trace not found.");
    await expect(error).toContainText("No spans of trace 0123456789abcdef0123456789abcdef are stored");
    await expect(error.getByRole("link", { name: "Search traces" })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("not-found.png") });

    await page.goto("/traces/not-a-trace");
    await expect(page.getByTestId("trace-error")).toContainText("This is not a valid trace id.");
    await page.screenshot({ path: test.info().outputPath("invalid-id.png") });
  });

  test("a trace of 10,000 spans renders only the rows in view", async ({ page }) => {
    const id = "fedcba9876543210fedcba9876543210";
    const n = 10_000;
    const t0 = Date.now() - 60_000;
    const spans = Array.from({ length: n }, (_, i) => ({
      spanId: (i + 1).toString(16).padStart(16, "0"),
      parentSpanId: i === 0 ? "" : (Math.floor((i - 1) / 10) + 1).toString(16).padStart(16, "0"),
      service: `svc-${i % 7}`,
      name: `op ${i}`,
      kind: "internal",
      startMs: t0 + i * 0.1,
      durationMs: i === 0 ? 2_000 : 1,
      selfMs: 1,
      status: i % 500 === 0 ? "error" : "unset",
      statusMessage: "",
      attributes: { i },
      resource: {},
      scope: "bench",
      events: [],
      links: [],
      onCriticalPath: i === 0,
      missingParent: false,
      clockSkew: i === 1_110,
    }));
    await page.route(
      (url) => url.pathname === `/api/traces/${id}`,
      (route) =>
        route.fulfill({
          contentType: "application/json",
          body: JSON.stringify({
            traceId: id,
            startMs: t0,
            durationMs: 2_000,
            services: [...new Set(spans.map((s) => s.service))].sort(),
            errorCount: spans.filter((s) => s.status === "error").length,
            incomplete: false,
            duplicateSpanIds: [],
            spans,
            criticalPath: [{ spanId: spans[0].spanId, startMs: t0, endMs: t0 + 2_000 }],
          }),
        }),
    );
    await page.goto(`/traces/${id}`);
    const waterfall = page.getByTestId("waterfall");
    await expect(waterfall.getByTestId("span-row").first()).toBeVisible();
    await expect(page.getByTestId("trace-span-count")).toHaveText("10,000");
    expect(await waterfall.getByTestId("span-row").count()).toBeLessThan(100);
    await expect(page.getByTestId("trace-warning")).toContainText("Clock skew");

    // Scroll to the end: the last span in depth-first order (root → op 10 → op 110 → op 1110) is
    // rendered, the first is not.
    await waterfall.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(waterfall.locator(".wf-name").getByText("op 1110", { exact: true })).toBeVisible();
    await expect(waterfall.locator('[data-span-id="0000000000000001"]')).toHaveCount(0);
    expect(await waterfall.getByTestId("span-row").count()).toBeLessThan(100);
    await expect(waterfall.locator('[data-span-id="0000000000000457"] [data-testid="clock-skew-flag"]')).toHaveAttribute(
      "title",
      /clocks disagree/,
    );
    await waterfall.locator('[data-span-id="0000000000000457"]').click();
    await page.screenshot({ path: test.info().outputPath("trace-10k.png") });
  });
});
