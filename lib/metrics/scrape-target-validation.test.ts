import { describe, expect, it } from "vitest";
import { validateScrapeTarget } from "./scrape-target-validation";

describe("validateScrapeTarget", () => {
  it("accepts a target with defaults", () => {
    expect(validateScrapeTarget({ url: " http://127.0.0.1:9100/metrics ", job: "node" }))
      .toEqual({ ok: true, value: { url: "http://127.0.0.1:9100/metrics", job: "node", intervalSeconds: 15, labels: {} } });
  });
  it("keeps extra labels", () => {
    const r = validateScrapeTarget({ url: "https://a:1/m", job: "a", intervalSeconds: 5, labels: { env: "prod" } });
    expect(r).toMatchObject({ ok: true, value: { intervalSeconds: 5, labels: { env: "prod" } } });
  });
  it("explains each bad field", () => {
    const r = validateScrapeTarget({ url: "ftp://x", job: "", intervalSeconds: 0, labels: { "1bad": "x" } });
    expect(r.ok ? {} : r.errors).toEqual({
      url: "URL must start with http:// or https://", job: expect.stringMatching(/^Give the job a name/),
      intervalSeconds: expect.stringMatching(/1 to 3600/), labels: expect.stringMatching(/not a valid label name/),
    });
  });
  it("keeps job and instance for itself", () => {
    const r = validateScrapeTarget({ url: "http://a:1/m", job: "a", labels: { instance: "x" } });
    expect(r.ok ? "" : r.errors.labels).toMatch(/set by Pinchpoint/);
  });
});
