import { describe, expect, it } from "vitest";
import { defaultRules } from "../analysis/slo";
import type { AlertRule } from "../analysis/slo-types";
import { validateSlo } from "./validate";

const availability = { name: "checkout availability", service: "checkout", sli: "availability", target: 0.999, windowDays: 30 };
const latency = { ...availability, name: "checkout latency", sli: "latency", thresholdMs: 300, target: 0.99 };
const rule: AlertRule = { name: "fast burn", severity: "page", factor: 14.4, longWindowMinutes: 60, shortWindowMinutes: 5, forMinutes: 2 };

const errorsOf = (input: unknown, takenNames: string[] = []) => {
  const result = validateSlo(input, { takenNames });
  if (result.ok) throw new Error("expected errors");
  return result.errors;
};
const valueOf = (input: unknown, takenNames: string[] = []) => {
  const result = validateSlo(input, { takenNames });
  if (!result.ok) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.value;
};

describe("validateSlo: accepted definitions", () => {
  it("fills in the default rules for the window and 100 minimum events", () => {
    expect(valueOf(availability)).toEqual({ ...availability, rules: defaultRules(30), minEvents: 100 });
    expect(valueOf({ ...availability, windowDays: 7 }).rules).toEqual(defaultRules(7));
  });

  it("keeps a latency threshold and the given rules and minEvents", () => {
    expect(valueOf({ ...latency, rules: [rule], minEvents: 0 })).toEqual({ ...latency, rules: [rule], minEvents: 0 });
  });

  it("trims names and treats an empty operation as all entry operations", () => {
    const value = valueOf({ ...availability, name: "  checkout  ", service: " checkout ", operation: "" });
    expect(value.name).toBe("checkout");
    expect(value.service).toBe("checkout");
    expect("operation" in value).toBe(false);
    expect(valueOf({ ...availability, operation: " POST /orders " }).operation).toBe("POST /orders");
  });

  it("drops a threshold sent with an availability SLI and ignores unknown fields such as id", () => {
    const value = valueOf({ ...availability, thresholdMs: 250, id: "slo_9", extra: true });
    expect(value).not.toHaveProperty("thresholdMs");
    expect(value).not.toHaveProperty("id");
    expect(value).not.toHaveProperty("extra");
  });

  it("accepts 7, 28 and 30 day windows and an empty rule list", () => {
    for (const windowDays of [7, 28, 30]) expect(valueOf({ ...availability, windowDays }).windowDays).toBe(windowDays);
    expect(valueOf({ ...availability, rules: [] }).rules).toEqual([]);
  });

  it("defaults a rule's pending time to 0", () => {
    const { forMinutes: _, ...withoutFor } = rule;
    expect(valueOf({ ...availability, rules: [withoutFor] }).rules).toEqual([{ ...rule, forMinutes: 0 }]);
  });
});

describe("validateSlo: errors in plain words", () => {
  it("rejects anything but an object", () => {
    for (const input of [null, "slo", [availability]]) expect(errorsOf(input)).toEqual({ body: "Expected an SLO definition (a JSON object)" });
  });

  it("requires a name of at most 100 characters", () => {
    expect(errorsOf({ ...availability, name: "   " })).toEqual({ name: "Name is required" });
    expect(errorsOf({ ...availability, name: undefined })).toEqual({ name: "Name is required" });
    expect(errorsOf({ ...availability, name: "x".repeat(101) })).toEqual({ name: "Name must be at most 100 characters" });
    expect(valueOf({ ...availability, name: "x".repeat(100) }).name).toHaveLength(100);
  });

  it("refuses a name another SLO has, whatever the case", () => {
    expect(errorsOf({ ...availability, name: "Checkout " }, ["checkout"])).toEqual({ name: 'An SLO named "Checkout" already exists' });
  });

  it("requires a service and a text operation", () => {
    expect(errorsOf({ ...availability, service: "" })).toEqual({ service: "Service is required" });
    expect(errorsOf({ ...availability, operation: 42 })).toEqual({ operation: "Operation must be text; leave it empty to cover all entry operations" });
  });

  it("requires a known SLI", () => {
    expect(errorsOf({ ...availability, sli: "throughput" })).toEqual({ sli: "SLI must be availability or latency" });
  });

  it("requires a positive threshold for latency SLIs", () => {
    const message = { thresholdMs: "Threshold must be a positive number of milliseconds" };
    for (const thresholdMs of [undefined, 0, -5, "300", Number.NaN]) expect(errorsOf({ ...latency, thresholdMs })).toEqual(message);
  });

  it("speaks percent about a target that is not a fraction strictly between 0 and 1", () => {
    const message = { target: "Target must be between 0 and 100 % (exclusive), e.g. 99.9" };
    for (const target of [0, 1, 99.9, -0.5, "0.999", undefined]) expect(errorsOf({ ...availability, target })).toEqual(message);
    expect(valueOf({ ...availability, target: 0.5 }).target).toBe(0.5);
  });

  it("allows only 7, 28 or 30 day windows", () => {
    for (const windowDays of [1, 14, 31, "30"]) expect(errorsOf({ ...availability, windowDays })).toEqual({ windowDays: "Window must be 7, 28 or 30 days" });
  });

  it("requires minEvents to be a whole number, 0 or more", () => {
    for (const minEvents of [-1, 2.5, "100"]) {
      expect(errorsOf({ ...availability, minEvents })).toEqual({ minEvents: "Minimum events must be a whole number, 0 or more" });
    }
  });

  it("reports every problem at once", () => {
    expect(Object.keys(errorsOf({ sli: "latency" })).sort()).toEqual(["name", "service", "target", "thresholdMs", "windowDays"]);
  });
});

describe("validateSlo: alert rules", () => {
  const ruleErrors = (...rules: unknown[]) => errorsOf({ ...availability, rules });

  it("keys errors by the rule's index and field", () => {
    expect(ruleErrors(rule, { ...rule, name: "slow", factor: 0 })).toEqual({ "rules.1.factor": "Burn-rate factor must be a positive number, e.g. 14.4" });
  });

  it("checks every field of a rule", () => {
    expect(ruleErrors({ name: " ", severity: "sms", factor: -1, longWindowMinutes: 0, shortWindowMinutes: 1.5, forMinutes: -1 })).toEqual({
      "rules.0.name": "Rule name is required",
      "rules.0.severity": "Severity must be page or ticket",
      "rules.0.factor": "Burn-rate factor must be a positive number, e.g. 14.4",
      "rules.0.longWindowMinutes": "Long window must be a positive whole number of minutes",
      "rules.0.shortWindowMinutes": "Short window must be a positive whole number of minutes",
      "rules.0.forMinutes": "Pending time must be a whole number of minutes, 0 or more",
    });
  });

  it("wants the short window shorter than the long one", () => {
    expect(ruleErrors({ ...rule, shortWindowMinutes: 60 })).toEqual({ "rules.0.shortWindowMinutes": "Short window must be shorter than the long window" });
  });

  it("keeps the long window within the SLO window", () => {
    expect(errorsOf({ ...availability, windowDays: 7, rules: [{ ...rule, longWindowMinutes: 8 * 1440 }] })).toEqual({
      "rules.0.longWindowMinutes": "Long window can't be longer than the SLO's 7-day window",
    });
  });

  it("wants rule names unique within the SLO", () => {
    expect(ruleErrors(rule, { ...rule, severity: "ticket" }, { ...rule, name: "Fast Burn " })).toEqual({
      "rules.1.name": 'Another rule is already named "fast burn"',
      "rules.2.name": 'Another rule is already named "Fast Burn"',
    });
  });

  it("rejects rules that are not a list of objects", () => {
    expect(errorsOf({ ...availability, rules: "fast" })).toEqual({ rules: "Alert rules must be a list" });
    expect(ruleErrors(rule, null)).toEqual({ "rules.1": "Each alert rule must be an object" });
  });
});
