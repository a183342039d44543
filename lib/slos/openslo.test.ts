import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { defaultRules } from "../analysis/slo";
import type { SloDefinition } from "../analysis/slo-types";
import { dnsSlug, exportOpenSlo, importOpenSlo } from "./openslo";
import { validateSlo } from "./validate";

const slos: SloDefinition[] = [
  { id: "slo_1", name: "Checkout availability", service: "checkout", sli: "availability", target: 0.999, windowDays: 30, rules: defaultRules(30), minEvents: 100 },
  {
    id: "slo_2",
    name: "checkout: orders < 300 ms",
    service: "checkout",
    operation: "POST /orders",
    sli: "latency",
    thresholdMs: 300,
    target: 0.99,
    windowDays: 7,
    rules: [{ name: "fast", severity: "page", factor: 10, longWindowMinutes: 60, shortWindowMinutes: 5, forMinutes: 3 }],
    minEvents: 0,
  },
];

/** The exported documents as plain objects. */
const documentsOf = (yaml: string) => parseAllDocuments(yaml).map((doc) => doc.toJS());

const validated = (input: unknown) => {
  const result = validateSlo(input, { takenNames: [] });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
};

describe("exportOpenSlo", () => {
  it("writes one OpenSLO v1 SLO document per SLO", () => {
    const docs = documentsOf(exportOpenSlo(slos));
    expect(docs).toHaveLength(2);
    const [first, second] = docs;
    expect(first).toEqual({
      apiVersion: "openslo/v1",
      kind: "SLO",
      metadata: {
        name: "checkout-availability",
        displayName: "Checkout availability",
        annotations: { "pinchpoint.dev/alert-rules": JSON.stringify(defaultRules(30)), "pinchpoint.dev/min-events": "100" },
      },
      spec: {
        service: "checkout",
        indicator: {
          metadata: { name: "checkout-availability-sli" },
          spec: {
            ratioMetric: {
              counter: true,
              good: { metricSource: { type: "Pinchpoint", spec: { service: "checkout", sli: "availability", events: "good" } } },
              total: { metricSource: { type: "Pinchpoint", spec: { service: "checkout", sli: "availability", events: "total" } } },
            },
          },
        },
        timeWindow: [{ duration: "30d", isRolling: true }],
        budgetingMethod: "Occurrences",
        objectives: [{ displayName: "Checkout availability", target: 0.999 }],
      },
    });
    expect(second.metadata.name).toBe("checkout-orders-300-ms");
    expect(second.spec.indicator.spec.ratioMetric.good.metricSource.spec).toEqual({
      service: "checkout",
      operation: "POST /orders",
      sli: "latency",
      thresholdMs: 300,
      events: "good",
    });
    expect(second.spec.timeWindow).toEqual([{ duration: "7d", isRolling: true }]);
  });

  it("keeps metadata.name unique when names share a slug", () => {
    const twins = [slos[0], { ...slos[0], id: "slo_3", name: "checkout  AVAILABILITY!" }];
    const names = documentsOf(exportOpenSlo(twins)).map((doc) => doc.metadata.name);
    expect(names).toEqual(["checkout-availability", "checkout-availability-2"]);
  });

  it("writes nothing for no SLOs", () => {
    expect(exportOpenSlo([])).toBe("");
  });
});

describe("dnsSlug", () => {
  it("makes a DNS-1123 label", () => {
    expect(dnsSlug("Checkout: 99.9 % OK")).toBe("checkout-99-9-ok");
    expect(dnsSlug("--Ünïcode__")).toBe("n-code");
    expect(dnsSlug("🔥")).toBe("slo");
    const long = dnsSlug(`${"a".repeat(62)} b`);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(long.length).toBeLessThanOrEqual(63);
  });
});

describe("importOpenSlo", () => {
  it("round-trips: export, import and validate give back the same definitions", () => {
    const imported = importOpenSlo(exportOpenSlo(slos));
    expect(imported.errors).toEqual([]);
    expect(imported.slos.map(validated)).toEqual(slos.map(({ id: _, ...fields }) => fields));
  });

  it("reads an OpenSLO document as a user would write it in git", () => {
    const yaml = `
# SLOs for the checkout team
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-latency
  displayName: Checkout latency
spec:
  description: 99 % of checkouts complete within 400 ms
  service: checkout
  indicator:
    metadata:
      name: checkout-latency-sli
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Pinchpoint
            spec: { service: checkout, operation: POST /checkout, sli: latency, thresholdMs: 400, events: good }
        total:
          metricSource:
            type: Pinchpoint
            spec: { service: checkout, operation: POST /checkout, sli: latency, thresholdMs: 400, events: total }
  timeWindow:
    - duration: 4w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Fast checkouts
      targetPercent: 99
`;
    const { slos: imported, errors } = importOpenSlo(yaml);
    expect(errors).toEqual([]);
    expect(imported.map(validated)).toEqual([
      {
        name: "Checkout latency",
        service: "checkout",
        operation: "POST /checkout",
        sli: "latency",
        thresholdMs: 400,
        target: 0.99,
        windowDays: 28,
        rules: defaultRules(28),
        minEvents: 100,
      },
    ]);
  });

  const minimal = (changes = "") => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-availability
spec:
  service: api
  indicator:
    metadata: { name: api-sli }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: Pinchpoint, spec: { sli: availability, events: good } } }
        total: { metricSource: { type: Pinchpoint, spec: { sli: availability, events: total } } }
  timeWindow: [{ duration: 30d, isRolling: true }]
  objectives: [{ target: 0.995 }]
${changes}`;

  it("falls back to metadata.name and spec.service", () => {
    const { slos: imported, errors } = importOpenSlo(minimal());
    expect(errors).toEqual([]);
    expect(validated(imported[0])).toMatchObject({ name: "api-availability", service: "api", target: 0.995, windowDays: 30 });
  });

  it("skips documents of other kinds with a note and keeps the SLOs", () => {
    const service = "apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: api\nspec: {}\n";
    const { slos: imported, errors } = importOpenSlo(`${service}---\n${minimal()}---\n`);
    expect(imported).toHaveLength(1);
    expect(errors).toEqual(["Document 1 (api): skipped kind Service; only SLO documents are imported"]);
  });

  it("names the document and the field that is missing or invalid", () => {
    const broken = minimal()
      .replace("  service: api\n", "")
      .replace("duration: 30d", "duration: 1M")
      .replace("type: Pinchpoint, spec: { sli: availability, events: total }", "type: Prometheus");
    const { slos: imported, errors } = importOpenSlo(`${minimal()}---\n${broken}`);
    expect(imported).toHaveLength(1);
    expect(errors).toEqual([
      "Document 2 (api-availability): spec.indicator.spec.ratioMetric.total.metricSource.type must be Pinchpoint",
      'Document 2 (api-availability): spec.timeWindow.0.duration must be a number of days such as "30d"',
      "Document 2 (api-availability): spec.service is missing",
    ]);
  });

  it("rejects what Pinchpoint can't evaluate: calendar windows, timeslices, several objectives, SLI references", () => {
    const yaml = minimal("  budgetingMethod: Timeslices\n")
      .replace("isRolling: true", "isRolling: false")
      .replace("[{ target: 0.995 }]", "[{ target: 0.995 }, { target: 0.9 }]");
    expect(importOpenSlo(yaml).errors).toEqual([
      "Document 1 (api-availability): spec.timeWindow.0.isRolling must be true: calendar windows aren't supported",
      "Document 1 (api-availability): spec.budgetingMethod must be Occurrences",
      "Document 1 (api-availability): spec.objectives must be a list of exactly one objective",
    ]);
    const withRef = "apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: ref }\nspec:\n  service: api\n  indicatorRef: api-sli\n  timeWindow: [{ duration: 30d, isRolling: true }]\n  objectives: [{ target: 0.99 }]\n";
    expect(importOpenSlo(withRef).errors).toContain("Document 1 (ref): spec.indicatorRef isn't supported: inline the indicator as spec.indicator");
  });

  it("reports bad annotations and a wrong apiVersion", () => {
    const annotated = minimal().replace(
      "  name: api-availability\n",
      "  name: api-availability\n  annotations:\n    pinchpoint.dev/alert-rules: '[{'\n    pinchpoint.dev/min-events: lots\n",
    );
    expect(importOpenSlo(annotated).errors).toEqual([
      'Document 1 (api-availability): metadata.annotations["pinchpoint.dev/alert-rules"] must be a JSON list of alert rules',
      'Document 1 (api-availability): metadata.annotations["pinchpoint.dev/min-events"] must be a whole number',
    ]);
    expect(importOpenSlo(minimal().replace("openslo/v1", "openslo/v1alpha")).errors).toEqual([
      "Document 1 (api-availability): apiVersion must be openslo/v1",
    ]);
  });

  it("turns a YAML syntax error into one clear error", () => {
    expect(importOpenSlo("apiVersion: openslo/v1\nspec: [1, 2\nkind: SLO\n")).toEqual({
      slos: [],
      errors: [expect.stringMatching(/^The YAML can't be read: .* at line \d+, column \d+$/)],
    });
  });

  it("says when there is nothing to import", () => {
    expect(importOpenSlo("")).toEqual({ slos: [], errors: ["No OpenSLO SLO documents found"] });
    expect(importOpenSlo("---\n# only a comment\n")).toEqual({ slos: [], errors: ["No OpenSLO SLO documents found"] });
  });
});
