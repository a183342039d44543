import { describe, expect, it } from "vitest";
import { ScrapeConfigError, parseDurationSeconds, parseScrapeConfig } from "./scrape-config";

describe("parseScrapeConfig", () => {
  it("reads static_configs the way Prometheus does", () => {
    const targets = parseScrapeConfig(`
global:
  scrape_interval: 30s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ["127.0.0.1:9100", "10.0.0.2:9100"]
        labels: { env: prod }
  - job_name: app
    scrape_interval: 5s
    scheme: https
    metrics_path: /internal/metrics
    static_configs:
      - targets: [app:8443]
`);
    expect(targets).toEqual([
      { id: "file:node:http://127.0.0.1:9100/metrics", job: "node", url: "http://127.0.0.1:9100/metrics", intervalSeconds: 30, labels: { env: "prod" } },
      { id: "file:node:http://10.0.0.2:9100/metrics", job: "node", url: "http://10.0.0.2:9100/metrics", intervalSeconds: 30, labels: { env: "prod" } },
      { id: "file:app:https://app:8443/internal/metrics", job: "app", url: "https://app:8443/internal/metrics", intervalSeconds: 5, labels: {} },
    ]);
  });

  it("defaults to 15 s without a global interval", () => {
    expect(parseScrapeConfig("scrape_configs: [{ job_name: x, static_configs: [{ targets: ['h:1'] }] }]")[0].intervalSeconds).toBe(15);
  });

  it("names what is wrong", () => {
    expect(() => parseScrapeConfig("scrape_configs: [{ static_configs: [] }]")).toThrow(/scrape_configs\[0\]\.job_name is missing/);
    expect(() => parseScrapeConfig("scrape_configs: [{ job_name: x, kubernetes_sd_configs: [] }]")).toThrow(/static_configs must be a list/);
    expect(() => parseScrapeConfig("scrape_configs: [{ job_name: x, scrape_interval: soon, static_configs: [] }]")).toThrow(ScrapeConfigError);
    expect(() => parseScrapeConfig("scrape_configs: [")).toThrow(/not valid YAML/);
  });
});

describe("parseDurationSeconds", () => {
  it("takes Prometheus durations", () => {
    expect(parseDurationSeconds("15s", "x")).toBe(15);
    expect(parseDurationSeconds("1m30s", "x")).toBe(90);
    expect(parseDurationSeconds("1h", "x")).toBe(3600);
    expect(parseDurationSeconds("500ms", "x")).toBe(1);
    expect(() => parseDurationSeconds("15", "x")).toThrow(/not a duration/);
  });
});
