import { expect, test, type Page } from "@playwright/test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const SCREENSHOTS = path.join(__dirname, "screenshots");

const RUN = Date.now().toString(36);
const JOB = "e2e-app";
const POOL_IN_USE = 7.25;
const MAPPING = `e2e orders pool ${RUN}`;

/** A counter that grows between scrapes, a gauge that stays put and a histogram: what an app exposes. */
function exposition(requests: number): string {
  return [
    "# HELP e2e_requests_total Requests handled.",
    "# TYPE e2e_requests_total counter",
    `e2e_requests_total{method="get"} ${requests}`,
    "# HELP e2e_pool_in_use Connections of the pool in use.",
    "# TYPE e2e_pool_in_use gauge",
    `e2e_pool_in_use{pool="main"} ${POOL_IN_USE}`,
    "# HELP e2e_latency_seconds Request latency.",
    "# TYPE e2e_latency_seconds histogram",
    'e2e_latency_seconds_bucket{le="0.1"} 3',
    'e2e_latency_seconds_bucket{le="1"} 5',
    'e2e_latency_seconds_bucket{le="+Inf"} 6',
    "e2e_latency_seconds_sum 2.5",
    "e2e_latency_seconds_count 6",
    "",
  ].join("\n");
}

async function startApp(): Promise<{ server: Server; url: string }> {
  let requests = 0;
  const server = createServer((req, res) => {
    if (req.url !== "/metrics") return void res.writeHead(404).end();
    requests += 5;
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition(requests));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics` };
}

/** The field's own block: label, control and the message shown next to it. */
function field(page: Page, label: string) {
  return page.locator(".slo-field", { has: page.getByLabel(label, { exact: true }) });
}

test.describe.serial("scrape targets and resources", () => {
  let app: Awaited<ReturnType<typeof startApp>>;

  test.beforeAll(async () => {
    app = await startApp();
  });

  test.afterAll(async () => {
    await new Promise((resolve) => app?.server.close(resolve));
  });

  test("a target is added, comes up, and its metrics can be browsed and charted", async ({ page }) => {
    // The first minute is charted about 10 s after it ends, so this waits for up to a minute and a half.
    test.setTimeout(180_000);
    await page.goto("/settings/scrape");
    await expect(page.getByRole("heading", { name: "Scrape targets", level: 1 })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Scrape targets" })).toHaveAttribute("aria-current", "page");
    const empty = page.getByTestId("scrape-empty");
    await expect(empty).toContainText("PINCHPOINT_SCRAPE_CONFIG");
    await expect(empty).toContainText("remote_write:");
    await expect(empty).toContainText("/api/v1/write");

    // A URL that is not one: the server's message appears next to the field, nothing is added.
    const url = page.getByLabel("URL", { exact: true });
    await url.fill("localhost metrics");
    await page.getByLabel("Job", { exact: true }).fill(JOB);
    await page.getByLabel("Interval (seconds)", { exact: true }).fill("1");
    await page.getByRole("button", { name: "Add target" }).click();
    await expect(field(page, "URL").getByTestId("field-error")).toHaveText(/URL must be the full address of a \/metrics page/);
    await expect(url).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("scrape-target")).toHaveCount(0);

    await url.fill(app.url);
    await page.getByRole("button", { name: "Add target" }).click();
    const row = page.getByTestId("scrape-target").filter({ hasText: app.url });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(JOB);
    await expect(row).toContainText("added here");
    await expect(row).toContainText("1 s");
    // The collector picks new targets up within ~5 s; the table refreshes every 5 s.
    await expect(row.getByTestId("target-status")).toHaveText("up", { timeout: 30_000 });
    await expect(row.getByTestId("target-samples")).toHaveText(/^[1-9]\d*$/);
    await expect(row.getByTestId("target-error")).toHaveCount(0);

    await row.getByRole("button", { name: "Metrics" }).click();
    const browser = page.getByTestId("metric-browser");
    await expect(browser.getByRole("heading", { name: new RegExp(`Metrics of ${JOB}`) })).toBeVisible();
    await expect(browser.getByTestId("series-row").first()).toBeVisible();
    await browser.getByLabel("Filter by name", { exact: true }).fill("e2e_pool");
    const gauge = browser.getByTestId("series-row");
    await expect(gauge).toHaveCount(1);
    await expect(gauge).toContainText("e2e_pool_in_use");
    await expect(gauge).toContainText("pool=main");
    await expect(gauge).toContainText("gauge");
    await expect(gauge.getByTestId("series-value")).toHaveText(String(POOL_IN_USE));

    await browser.getByLabel("Filter by name", { exact: true }).fill("e2e_nothing_");
    await expect(browser.getByTestId("series-empty")).toContainText("e2e_nothing_");
    await browser.getByLabel("Filter by name", { exact: true }).fill("e2e_");
    // The counter, the gauge, and the histogram's three buckets, sum and count.
    await expect(browser.getByTestId("series-row")).toHaveCount(7);

    await browser.getByRole("button", { name: "e2e_pool_in_use" }).click();
    const chart = browser.getByTestId("series-chart");
    await expect(chart).toContainText("e2e_pool_in_use · average per minute, last hour");
    await expect(chart.getByTestId("metric-chart").locator("svg.recharts-surface")).toBeVisible({ timeout: 100_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, "scrape-targets.png"), fullPage: true });
  });

  test("a resource is mapped, listed and deleted", async ({ page }) => {
    await page.goto("/settings/resources");
    await expect(page.getByRole("heading", { name: "Resources", level: 1 })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Resources" })).toHaveAttribute("aria-current", "page");
    // Other spec files map their own resources into the same server: count only this one.
    const mapping = page.getByTestId("mapping-row").filter({ hasText: MAPPING });
    await expect(page.getByTestId("mappings-empty").or(page.getByTestId("mapping-row").first())).toBeVisible();
    await expect(mapping).toHaveCount(0);

    await page.getByLabel("Name", { exact: true }).fill(MAPPING);
    await page.getByLabel("Kind", { exact: true }).selectOption("pool");
    await page.getByLabel("Other services (optional)", { exact: true }).fill("orders, billing");
    await page.getByLabel("Usage metric", { exact: true }).fill("e2e_pool_in_use");
    await page.getByLabel("Usage labels (optional)", { exact: true }).fill("pool=main");

    // Without a capacity there is no utilization: the server says so next to the field.
    await page.getByRole("button", { name: "Add mapping" }).click();
    await expect(page.getByLabel("Fixed capacity", { exact: true })).toHaveAccessibleDescription(/Give the capacity/);
    await expect(mapping).toHaveCount(0);

    await page.getByLabel("Fixed capacity", { exact: true }).fill("20");
    await page.getByRole("button", { name: "Add mapping" }).click();
    await expect(mapping).toHaveCount(1);
    await expect(mapping).toContainText("orders, billing");
    await expect(mapping).toContainText("shared");
    await expect(mapping).toContainText('e2e_pool_in_use{pool="main"}');
    await expect(mapping).toContainText("20");
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(""); // the form is cleared for the next one
    await page.screenshot({ path: path.join(SCREENSHOTS, "resources.png"), fullPage: true });

    page.once("dialog", (dialog) => void dialog.accept());
    await mapping.getByRole("button", { name: "Delete" }).click();
    await expect(mapping).toHaveCount(0);
  });
});
