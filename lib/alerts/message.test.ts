import { describe, expect, it } from "vitest";
import { type AlertMessage, budgetText, hoursText, slackBody, truncate, webhookBody } from "./message";

const firing: AlertMessage = {
  event: "firing",
  sloId: "slo_1",
  sloName: "checkout availability",
  service: "checkout",
  operation: "POST /orders",
  rule: "fast burn",
  severity: "page",
  burnRate: 14.4,
  window: "1h",
  budgetRemaining: 0.62,
  windowDays: 30,
  state: "burning fast",
  description: "Checkout is failing 1.4 % of orders; at this rate the month's budget is gone in 2 days.",
  timeToExhaustionHours: 50,
  sloUrl: "https://pinchpoint.example/slos/slo_1",
  atMs: Date.UTC(2026, 10, 25, 19, 0),
};

interface Block {
  type: string;
  text?: { type: string; text: string };
  fields?: { type: string; text: string }[];
  elements?: { type: string; text?: unknown; url?: string }[];
}
const slack = (msg: AlertMessage) => slackBody(msg) as { text: string; blocks: Block[] };
const blockOf = (msg: AlertMessage, type: string) => slack(msg).blocks.filter((b) => b.type === type);
const fieldTexts = (msg: AlertMessage) => blockOf(msg, "section")[0].fields!.map((f) => f.text);

describe("slackBody", () => {
  it("builds a Block Kit message: header, fields, description and a link button", () => {
    const body = slack(firing);
    expect(body.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "actions", "context"]);
    expect(body.blocks[0].text).toEqual({ type: "plain_text", text: "🔥 FIRING: checkout availability", emoji: true });
    expect(fieldTexts(firing)).toEqual([
      "*SLO*\ncheckout availability",
      "*Service*\ncheckout · POST /orders",
      "*Burn rate*\n14.4× over 1h",
      "*Budget left*\n62.0% of 30 days",
      "*State*\nburning fast",
      "*Rule*\nfast burn (page)",
      "*Time to exhaustion*\n2.1 days",
    ]);
    expect(body.blocks[2].text).toEqual({ type: "mrkdwn", text: firing.description });
    expect(body.blocks[3].elements).toEqual([
      { type: "button", text: { type: "plain_text", text: "Open SLO" }, url: firing.sloUrl, action_id: "open_slo" },
    ]);
    expect(JSON.stringify(body.blocks[4])).toContain("<!date^1795633200^");
  });

  it("has a plain fallback text for notifications", () => {
    expect(slack(firing).text).toBe("🔥 FIRING: checkout availability (burning fast, burn rate 14.4× over 1h)");
  });

  it("says RESOLVED for a resolved alert", () => {
    const resolved = slack({ ...firing, event: "resolved", state: "recovering", burnRate: 0.4 });
    expect(resolved.blocks[0].text!.text).toBe("✅ RESOLVED: checkout availability");
    expect(resolved.text).toContain("recovering, burn rate 0.4× over 1h");
  });

  it("labels a test message as such and names the SLO in the fallback", () => {
    const test = slack({ ...firing, event: "test" });
    expect(test.blocks[0].text!.text).toBe("🧪 Test message from Pinchpoint");
    expect(test.text).toContain("Test message from Pinchpoint for checkout availability");
  });

  it("leaves out time to exhaustion when unknown and says when all operations are covered", () => {
    const texts = fieldTexts({ ...firing, operation: undefined, timeToExhaustionHours: undefined });
    expect(texts).toHaveLength(6);
    expect(texts).toContain("*Service*\ncheckout (all entry operations)");
  });

  it("truncates long names to Slack's limits", () => {
    const long = { ...firing, sloName: "x".repeat(500), service: "s".repeat(5000), description: "d".repeat(10_000) };
    const body = slack(long);
    const header = body.blocks[0].text!.text;
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header.endsWith("…")).toBe(true);
    expect(body.blocks[2].text!.text.length).toBeLessThanOrEqual(3000);
    const fields = body.blocks[1].fields!;
    expect(fields.length).toBeLessThanOrEqual(10);
    for (const f of fields) expect(f.text.length).toBeLessThanOrEqual(2000);
    expect(body.text.length).toBeLessThanOrEqual(3000);
  });

  it("leaves out an empty description, which Slack would reject", () => {
    expect(slack({ ...firing, description: " " }).blocks.map((b) => b.type)).toEqual(["header", "section", "actions", "context"]);
  });

  it("escapes Slack's control characters in names", () => {
    const texts = fieldTexts({ ...firing, sloName: "<!channel> & friends" });
    expect(texts[0]).toBe("*SLO*\n&lt;!channel&gt; &amp; friends");
  });
});

describe("truncate", () => {
  it("keeps short text and cuts long text with an ellipsis", () => {
    expect(truncate("checkout", 8)).toBe("checkout");
    expect(truncate("checkout", 5)).toBe("chec…");
  });

  it("never splits an emoji", () => {
    expect(truncate("ab🔥🔥", 4)).toBe("ab…");
  });
});

describe("texts", () => {
  it("budget, including an overspent one", () => {
    expect(budgetText(0.62, 30)).toBe("62.0% of 30 days");
    expect(budgetText(-0.125, 7)).toBe("-12.5% of 7 days (exhausted)");
  });

  it("hours in minutes, hours or days", () => {
    expect([0.25, 5, 50].map(hoursText)).toEqual(["15 min", "5.0 h", "2.1 days"]);
  });
});

describe("webhookBody", () => {
  it("is versioned JSON with every message field and an ISO time", () => {
    const body = webhookBody(firing);
    expect(body).toEqual({ version: 1, ...firing, at: "2026-11-25T19:00:00.000Z" });
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });
});
