/**
 * OpenSLO v1 (https://github.com/OpenSLO/OpenSLO) import and export, so that SLOs can live in git.
 *
 * One `kind: SLO` document per SLO with an inline ratio indicator whose metric source is
 * `type: Pinchpoint`, carrying Pinchpoint's own terms (service, operation, sli, thresholdMs). Alert
 * rules and minEvents go into annotations: OpenSLO would need separate AlertPolicy and
 * AlertCondition objects for them, and no other tool could evaluate ours anyway.
 */

import { parseAllDocuments, stringify } from "yaml";
import type { SloDefinition } from "../analysis/slo-types";

const API_VERSION = "openslo/v1";
const METRIC_SOURCE_TYPE = "Pinchpoint";
const RULES_ANNOTATION = "pinchpoint.dev/alert-rules";
const MIN_EVENTS_ANNOTATION = "pinchpoint.dev/min-events";
/** DNS-1123 labels are at most 63 characters. */
const SLUG_MAX_LENGTH = 63;

/** "Checkout: 99.9 % OK" → "checkout-99-9-ok". */
export function dnsSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/^-+|-+$/g, "");
  return slug || "slo";
}

/** Names differing only in punctuation or case share a slug; a suffix keeps metadata.name unique. */
function uniqueSlugs(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const base = dnsSlug(name);
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = `${base.slice(0, SLUG_MAX_LENGTH - String(n).length - 1)}-${n}`;
    used.add(slug);
    return slug;
  });
}

function sloDocument(slo: SloDefinition, slug: string) {
  const source = (events: "good" | "total") => ({
    metricSource: {
      type: METRIC_SOURCE_TYPE,
      spec: {
        service: slo.service,
        ...(slo.operation !== undefined && { operation: slo.operation }),
        sli: slo.sli,
        ...(slo.thresholdMs !== undefined && { thresholdMs: slo.thresholdMs }),
        events,
      },
    },
  });
  return {
    apiVersion: API_VERSION,
    kind: "SLO",
    metadata: {
      name: slug,
      displayName: slo.name,
      annotations: { [RULES_ANNOTATION]: JSON.stringify(slo.rules), [MIN_EVENTS_ANNOTATION]: String(slo.minEvents) },
    },
    spec: {
      service: slo.service,
      indicator: {
        metadata: { name: `${slug.slice(0, SLUG_MAX_LENGTH - 4)}-sli` },
        spec: { ratioMetric: { counter: true, good: source("good"), total: source("total") } },
      },
      timeWindow: [{ duration: `${slo.windowDays}d`, isRolling: true }],
      budgetingMethod: "Occurrences",
      objectives: [{ displayName: slo.name, target: slo.target }],
    },
  };
}

/** A multi-document YAML stream, one OpenSLO `kind: SLO` document per SLO. */
export function exportOpenSlo(slos: SloDefinition[]): string {
  const slugs = uniqueSlugs(slos.map((slo) => slo.name));
  // lineWidth 0: no folding, so that the rules' JSON stays on one greppable line.
  return slos.map((slo, i) => `---\n${stringify(sloDocument(slo, slugs[i]), { lineWidth: 0 })}`).join("");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads one document, collecting a message per missing or invalid field. */
class DocumentReader {
  readonly problems: string[] = [];
  constructor(private readonly root: unknown) {}

  /** The value at a dotted path such as "spec.timeWindow.0.duration" (array indexes allowed). */
  get(path: string): unknown {
    let node = this.root;
    for (const key of path.split(".")) node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    return node;
  }

  require(path: string, check: (value: unknown) => boolean, expected: string): unknown {
    const value = this.get(path);
    if (value === undefined) this.problems.push(`${path} is missing`);
    else if (!check(value)) this.problems.push(`${path} must be ${expected}`);
    return value;
  }
}

const isText = (value: unknown) => typeof value === "string" && value.trim() !== "";

/** "30d" → 30, "4w" → 28; undefined for anything else (hours, months, calendar windows). */
function durationDays(duration: unknown): number | undefined {
  const match = typeof duration === "string" ? /^(\d+)([dw])$/.exec(duration.trim()) : null;
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === "w" ? 7 : 1);
}

/**
 * Pinchpoint's fields from one `kind: SLO` document. Checks the OpenSLO structure here, where the
 * document and the field can be named; validateSlo then checks the values.
 */
function sloFromDocument(doc: DocumentReader): Record<string, unknown> {
  const name = doc.get("metadata.displayName") ?? doc.require("metadata.name", isText, "a name");
  if (doc.get("spec.indicatorRef") !== undefined) doc.problems.push("spec.indicatorRef isn't supported: inline the indicator as spec.indicator");

  const ratio = "spec.indicator.spec.ratioMetric";
  for (const events of ["good", "total"]) {
    doc.require(`${ratio}.${events}.metricSource.type`, (type) => type === METRIC_SOURCE_TYPE, METRIC_SOURCE_TYPE);
  }
  // good and total name the same service, operation and SLI; they differ only in `events`.
  const terms = doc.require(`${ratio}.good.metricSource.spec`, isRecord, "an object");
  const term = (key: string) => (isRecord(terms) ? terms[key] : undefined);
  if (isRecord(terms) && !isText(terms.sli)) doc.problems.push(`${ratio}.good.metricSource.spec.sli must be availability or latency`);

  const duration = doc.require("spec.timeWindow.0.duration", (value) => durationDays(value) !== undefined, 'a number of days such as "30d"');
  if (doc.get("spec.timeWindow.0.isRolling") === false) doc.problems.push("spec.timeWindow.0.isRolling must be true: calendar windows aren't supported");
  const budgeting = doc.get("spec.budgetingMethod");
  if (budgeting !== undefined && budgeting !== "Occurrences") doc.problems.push("spec.budgetingMethod must be Occurrences");

  doc.require("spec.objectives", (value) => Array.isArray(value) && value.length === 1, "a list of exactly one objective");
  const percent = doc.get("spec.objectives.0.targetPercent");
  const target = typeof percent === "number" ? percent / 100 : doc.require("spec.objectives.0.target", (v) => typeof v === "number", "a fraction such as 0.999");

  return {
    name,
    service: term("service") ?? doc.require("spec.service", isText, "a service name"),
    ...(term("operation") !== undefined && { operation: term("operation") }),
    sli: term("sli"),
    ...(term("thresholdMs") !== undefined && { thresholdMs: term("thresholdMs") }),
    target,
    windowDays: durationDays(duration),
    ...annotationFields(doc),
  };
}

/** Alert rules (JSON) and minEvents (a whole number) from the annotations, when given. */
function annotationFields(doc: DocumentReader): { rules?: unknown; minEvents?: number } {
  const annotations = doc.get("metadata.annotations");
  if (!isRecord(annotations)) return {};
  const fields: { rules?: unknown; minEvents?: number } = {};
  const rules = annotations[RULES_ANNOTATION];
  if (rules !== undefined) {
    try {
      fields.rules = JSON.parse(String(rules));
    } catch {
      doc.problems.push(`metadata.annotations["${RULES_ANNOTATION}"] must be a JSON list of alert rules`);
    }
  }
  const minEvents = annotations[MIN_EVENTS_ANNOTATION];
  if (minEvents !== undefined) {
    if (/^\d+$/.test(String(minEvents).trim())) fields.minEvents = Number(minEvents);
    else doc.problems.push(`metadata.annotations["${MIN_EVENTS_ANNOTATION}"] must be a whole number`);
  }
  return fields;
}

/**
 * Reads OpenSLO v1 YAML: every `kind: SLO` document becomes a plain object for validateSlo. Other
 * kinds are skipped with a note; problems name the document (1-based) and the field.
 */
export function importOpenSlo(text: string): { slos: unknown[]; errors: string[] } {
  const documents = parseAllDocuments(text);
  const syntaxErrors = "empty" in documents ? documents.errors : documents.flatMap((doc) => doc.errors);
  // The first line says what and where ("… at line 2, column 1"); the rest is a source excerpt.
  const syntaxError = syntaxErrors[0]?.message.split("\n")[0].replace(/:$/, "");
  if (syntaxError) return { slos: [], errors: [`The YAML can't be read: ${syntaxError}`] };

  const slos: unknown[] = [];
  const errors: string[] = [];
  for (const [index, document] of documents.entries()) {
    const content: unknown = document.toJS();
    if (content === null || content === undefined) continue; // an empty document, e.g. after a trailing "---"
    const doc = new DocumentReader(content);
    const metadataName = doc.get("metadata.name");
    const label = `Document ${index + 1}${typeof metadataName === "string" ? ` (${metadataName})` : ""}`;
    if (!isRecord(content)) errors.push(`${label}: expected an OpenSLO object`);
    else if (content.kind !== "SLO") errors.push(`${label}: skipped kind ${String(content.kind)}; only SLO documents are imported`);
    else if (content.apiVersion !== API_VERSION) errors.push(`${label}: apiVersion must be ${API_VERSION}`);
    else {
      const slo = sloFromDocument(doc);
      if (doc.problems.length === 0) slos.push(slo);
      else errors.push(...doc.problems.map((problem) => `${label}: ${problem}`));
    }
  }
  if (slos.length === 0 && errors.length === 0) errors.push("No OpenSLO SLO documents found");
  return { slos, errors };
}
