import { describe, expect, it } from "vitest";
import { validateChannel } from "./channel-validation";

describe("validateChannel", () => {
  it("accepts a Slack webhook and trims", () => {
    expect(validateChannel({ name: " #sre ", kind: "slack", url: "https://hooks.slack.com/services/T/B/x" }))
      .toEqual({ ok: true, value: { name: "#sre", kind: "slack", url: "https://hooks.slack.com/services/T/B/x" } });
  });
  it("keeps a webhook's secret", () => {
    const r = validateChannel({ name: "pager", kind: "webhook", url: "http://127.0.0.1:9/x", secret: "s3" });
    expect(r).toEqual({ ok: true, value: { name: "pager", kind: "webhook", url: "http://127.0.0.1:9/x", secret: "s3" } });
  });
  it("explains every bad field", () => {
    const r = validateChannel({ name: "", kind: "email", url: "ftp://x" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(["kind", "name", "url"]);
  });
  it("refuses a secret on Slack, which does not verify one", () => {
    const r = validateChannel({ name: "s", kind: "slack", url: "https://hooks.slack.com/x", secret: "s" });
    expect(r.ok ? {} : r.errors).toHaveProperty("secret");
  });
  it("treats a non-object body as all fields missing", () => {
    const r = validateChannel("nope");
    expect(r.ok).toBe(false);
  });
});
