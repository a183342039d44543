import { SpanKind, SpanStatusCode, context as otelContext } from "@opentelemetry/api";
import { expect, test, type Page } from "@playwright/test";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { makeProvider } from "./support/otel";

const SCREENSHOTS = path.join(__dirname, "screenshots");

// Unique names: the other spec files share the server, and a rerun against a kept database must not collide.
const RUN = Date.now().toString(36);
const SERVICE = `e2e-slo-${RUN}`;
const OPERATION = "POST /checkout";
const SLO_NAME = `Checkout availability ${RUN}`;
const IMPORTED = `Checkout imported ${RUN}`;
const CHANNEL = `e2e-slack-${RUN}`;

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Stands in for Slack: records every request and answers 200 "ok", as Slack's incoming webhooks do. */
async function startReceiver(): Promise<{ server: Server; url: string; requests: Received[] }> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/e2e`, requests };
}

/** 60 SERVER spans over the last 10 minutes, every 12th failing, so the service and operation can be chosen. */
async function sendSpans() {
  const p = makeProvider(SERVICE, "1.0.0-e2e", "pinchpoint-e2e-slos");
  const start = Date.now() - 10 * 60_000;
  for (let i = 0; i < 60; i++) {
    const t = start + i * 9_000;
    const span = p.tracer.startSpan(OPERATION, { kind: SpanKind.SERVER, startTime: t }, otelContext.active());
    if (i % 12 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: "card declined" });
    span.end(t + 40 + (i % 7));
  }
  await p.provider.forceFlush();
  await p.provider.shutdown();
  expect(p.exporter.results.length).toBeGreaterThan(0);
  for (const r of p.exporter.results) expect(r.code, `OTLP export failed: ${r.error?.message ?? "unknown error"}`).toBe(0);
}

/** The field's own block: label, control and the message shown next to it. */
function field(page: Page, label: string) {
  return page.locator(".slo-field", { has: page.getByLabel(label, { exact: true }) });
}

test.describe.serial("SLOs and alerting", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  test.beforeAll(async () => {
    receiver = await startReceiver();
  });

  test.afterAll(async () => {
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  test("an SLO is created through the form, listed, opened, edited and deleted", async ({ page }) => {
    await sendSpans();

    // The service select offers what was seen lately; ingest is asynchronous, so reload until it is there.
    const service = page.getByLabel("Service", { exact: true });
    await expect(async () => {
      await page.goto("/slos/new");
      await expect(service.locator(`option[value="${SERVICE}"]`)).toHaveCount(1, { timeout: 3_000 });
    }).toPass({ timeout: 60_000, intervals: [1_000, 2_000, 3_000] });
    await expect(page.getByRole("link", { name: "SLOs", exact: true })).toHaveAttribute("aria-current", "page");

    await page.getByLabel("Name", { exact: true }).fill(SLO_NAME);
    await service.selectOption(SERVICE);
    const operation = page.getByLabel("Operation", { exact: true });
    await expect(operation).toHaveValue(""); // all entry operations by default
    await operation.selectOption(OPERATION);
    await expect(page.getByLabel("Threshold (ms)")).toHaveCount(0); // availability: no threshold
    await expect(page.getByTestId("rule-row")).toHaveCount(3);
    // The default rules follow the window (2 % of a 7-day budget in 1 h is a slower burn than of 30 days').
    const fastFactor = page.getByLabel("Burn rate factor for fast burn 1h/5m");
    await expect(fastFactor).toHaveValue("14.4");
    await page.getByLabel("Window", { exact: true }).selectOption("7");
    await expect(fastFactor).toHaveValue("3.36");
    await page.getByLabel("Window", { exact: true }).selectOption("30");
    await expect(fastFactor).toHaveValue("14.4");

    // Target 100 % leaves no error budget: the message appears next to the field, nothing is saved.
    const target = page.getByLabel("Target (%)", { exact: true });
    await target.fill("100");
    await page.getByRole("button", { name: "Create SLO" }).click();
    await expect(field(page, "Target (%)").getByTestId("field-error")).toHaveText(/Target must be between 0 and 100/);
    await expect(target).toHaveAttribute("aria-invalid", "true");
    await expect(target).toHaveAccessibleDescription(/Target must be between 0 and 100/);
    await expect(page.getByTestId("form-errors")).toContainText("One field needs fixing");
    await expect(page).toHaveURL(/\/slos\/new$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, "slo-form-error.png"), fullPage: true });

    // Latency shows the threshold box; back to availability, then a valid target.
    await page.getByRole("radio", { name: /Latency/ }).check();
    await expect(page.getByLabel("Threshold (ms)")).toHaveValue("300");
    await page.getByRole("radio", { name: /Availability/ }).check();
    await target.fill("99");
    await page.getByRole("button", { name: "Create SLO" }).click();

    // Saved: the detail page, with the state in words and a sentence describing it.
    await expect(page).toHaveURL(/\/slos\/(?!new$)[^/]+$/);
    const detailUrl = page.url();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(SLO_NAME);
    await expect(page.getByText(`${SERVICE} · ${OPERATION} · Availability, 99% over 30 days`)).toBeVisible();
    await expect(page.getByTestId("slo-description")).not.toBeEmpty({ timeout: 20_000 });
    await expect(page.getByTestId("slo-state")).toHaveText(/^(burning fast|burning|recovering|ok)$/);
    await expect(page.getByTestId("burn-chart")).toBeVisible();
    await expect(page.getByTestId("slo-rules").locator("tbody tr")).toHaveCount(3);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "slo-detail.png"), fullPage: true });

    // Listed, with where it stands.
    await page.goto("/slos");
    const row = page.getByTestId("slo-row").filter({ hasText: SLO_NAME });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(`${SERVICE} · ${OPERATION}`);
    await expect(row).toContainText("Availability, 99% over 30 days");
    await expect(row.getByTestId("budget")).toBeVisible();
    await expect(row.getByTestId("slo-state")).toHaveText(/^(burning fast|burning|recovering|ok)$/);
    await expect(page.getByRole("link", { name: "Export YAML" })).toHaveAttribute("href", "/api/slos/export");
    await page.screenshot({ path: path.join(SCREENSHOTS, "slos.png"), fullPage: true });

    // Edit: the form comes back filled in; change the target.
    await row.getByRole("link", { name: SLO_NAME }).click();
    await expect(page).toHaveURL(detailUrl);
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    await expect(page).toHaveURL(`${detailUrl}/edit`);
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(SLO_NAME);
    await expect(page.getByLabel("Operation", { exact: true })).toHaveValue(OPERATION);
    await expect(target).toHaveValue("99");
    await target.fill("95");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).toHaveURL(detailUrl);
    await expect(page.getByText("Availability, 95% over 30 days")).toBeVisible();

    // Export, then import the same definition under a new name; the outcome is said in words.
    const exported = await (await page.request.get("/api/slos/export")).text();
    const doc = exported.split(/^---\s*$/m).find((d) => d.includes(SLO_NAME));
    expect(doc, "the export holds the SLO").toBeTruthy();
    await page.goto("/slos");
    await page.getByText("Import OpenSLO YAML").click();
    const yamlBox = page.getByLabel("YAML", { exact: true });
    await yamlBox.fill(doc!.replaceAll(SLO_NAME, IMPORTED));
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await expect(page.getByTestId("import-result")).toHaveText(`Created 1 SLO: ${IMPORTED}.`);
    const importedRow = page.getByTestId("slo-row").filter({ hasText: IMPORTED });
    await expect(importedRow).toContainText(`${SERVICE} · ${OPERATION}`);
    await expect(importedRow).toContainText("Availability, 95% over 30 days");
    await yamlBox.fill("apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: broken\n");
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await expect(page.getByTestId("import-result")).toContainText("No SLOs were imported.");
    await expect(page.getByTestId("import-result")).toContainText("not imported");
    const importedHref = await importedRow.getByRole("link", { name: IMPORTED }).getAttribute("href");
    expect((await page.request.delete(`/api${importedHref}`)).ok()).toBe(true);

    // Delete, after a confirm.
    await page.goto(detailUrl);
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    page.once("dialog", (dialog) => {
      expect(dialog.message()).toContain(SLO_NAME);
      void dialog.accept();
    });
    await page.getByRole("button", { name: "Delete SLO" }).click();
    await expect(page).toHaveURL(/\/slos$/);
    await expect(page.getByTestId("slo-row").filter({ hasText: SLO_NAME })).toHaveCount(0);
    expect((await page.request.get(detailUrl.replace("/slos/", "/api/slos/"))).status()).toBe(404);
  });

  test("a Slack channel is added and its test message arrives as Block Kit", async ({ page }) => {
    await page.goto("/settings/alerts");
    await expect(page.getByRole("heading", { name: "Alert settings", level: 1 })).toBeVisible();

    // Nothing typed: the server's messages appear next to the fields.
    await page.getByRole("button", { name: "Add channel" }).click();
    await expect(field(page, "Channel name").getByTestId("field-error")).toContainText("Give the channel a name");

    await page.getByLabel("Channel name", { exact: true }).fill(CHANNEL);
    await expect(page.getByLabel("Kind", { exact: true })).toHaveValue("slack");
    await expect(page.getByLabel("Secret (optional)")).toHaveCount(0); // Slack is not signed
    await page.getByLabel("URL", { exact: true }).fill(receiver.url);
    await page.getByRole("button", { name: "Add channel" }).click();

    const row = page.getByTestId("channel-row").filter({ hasText: CHANNEL });
    await expect(row).toContainText("Slack");
    await expect(row).toContainText(receiver.url);
    await expect(page.getByLabel("Channel name", { exact: true })).toHaveValue(""); // the form is cleared

    await row.getByRole("button", { name: "Send test" }).click();
    await expect(row.getByTestId("test-outcome")).toHaveText("Test message delivered (HTTP 200).", { timeout: 20_000 });

    const posts = receiver.requests.filter((r) => r.method === "POST");
    expect(posts.length).toBeGreaterThanOrEqual(1);
    const body = JSON.parse(posts[posts.length - 1].body) as { blocks?: unknown };
    expect(Array.isArray(body.blocks) && body.blocks.length > 0, "the Slack body has Block Kit blocks").toBe(true);
    expect(posts[posts.length - 1].headers["content-type"]).toContain("application/json");
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "alert-settings.png"), fullPage: true });

    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByTestId("channel-row").filter({ hasText: CHANNEL })).toHaveCount(0);
  });

  test("no SLOs, no alerts and a failing API are said in words", async ({ page }) => {
    await page.route((url) => url.pathname === "/api/slos", (route) => route.fulfill({ json: { slos: [] } }));
    await page.goto("/slos");
    await expect(page.getByTestId("slos-empty")).toContainText("No SLOs yet");
    await expect(page.getByRole("link", { name: "Create your first SLO" })).toHaveAttribute("href", "/slos/new");

    let alerts: unknown[] = [];
    await page.route((url) => url.pathname === "/api/alerts", (route) => route.fulfill({ json: { alerts } }));
    await page.goto("/alerts");
    await expect(page.getByTestId("alerts-empty")).toContainText("An alert appears here when an SLO's error budget burns faster");

    // One alert, told to one channel and not to another: each delivery in words.
    const started = Date.now() - 30 * 60_000;
    alerts = [
      {
        id: "a1", sloId: "slo-1", sloName: "Checkout availability", service: "shop", rule: "fast burn 1h/5m", severity: "page",
        state: "firing", startedAt: started,
        deliveries: [
          { channelId: "c1", channelName: "#sre", attempts: 1, status: "delivered" },
          { channelId: "c2", channelName: "pager", attempts: 5, status: "failed", lastError: "HTTP 500" },
        ],
      },
    ];
    await page.reload();
    const alertRow = page.getByTestId("alert-row");
    await expect(alertRow).toContainText("Checkout availability");
    await expect(alertRow.getByRole("link", { name: "Checkout availability" })).toHaveAttribute("href", "/slos/slo-1");
    await expect(alertRow).toContainText("#sre: delivered after 1 attempt");
    await expect(alertRow).toContainText("pager: failed after 5 attempts (HTTP 500)");
    await page.screenshot({ path: test.info().outputPath("alerts.png"), fullPage: true });

    await page.unrouteAll();
    await page.route(
      (url) => url.pathname === "/api/slos",
      (route) => route.fulfill({ status: 500, json: { error: "store unreachable" } }),
    );
    await page.goto("/slos");
    await expect(page.getByTestId("error-state")).toContainText("Could not load the SLOs: HTTP 500: store unreachable", { timeout: 20_000 });
    await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();
  });
});
