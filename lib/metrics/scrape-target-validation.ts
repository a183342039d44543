import type { NewScrapeTarget } from "../store/scrape-target-store";

export type ScrapeTargetCheck = { ok: true; value: NewScrapeTarget } | { ok: false; errors: Record<string, string> };

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED = new Set(["job", "instance"]);

/** The rules for a scrape target added in the UI or the API, with messages in words. */
export function validateScrapeTarget(input: unknown): ScrapeTargetCheck {
  const body = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const url = typeof body.url === "string" ? body.url.trim() : "";
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") errors.url = "URL must start with http:// or https://";
  } catch {
    errors.url = "URL must be the full address of a /metrics page, e.g. http://10.0.0.5:9100/metrics";
  }
  const job = typeof body.job === "string" ? body.job.trim() : "";
  if (!job) errors.job = "Give the job a name, e.g. node or checkout (it becomes the job label)";
  else if (job.length > 100) errors.job = "Job must be at most 100 characters";
  const interval = body.intervalSeconds === undefined ? 15 : Number(body.intervalSeconds);
  if (!Number.isInteger(interval) || interval < 1 || interval > 3600) errors.intervalSeconds = "Interval must be a whole number of seconds from 1 to 3600";
  const labels: Record<string, string> = {};
  if (body.labels !== undefined && (typeof body.labels !== "object" || body.labels === null || Array.isArray(body.labels))) {
    errors.labels = "Labels must be an object of name: value";
  } else {
    for (const [k, v] of Object.entries((body.labels ?? {}) as Record<string, unknown>)) {
      if (!LABEL_NAME.test(k) || k.startsWith("__")) errors.labels = `"${k}" is not a valid label name (letters, digits and _, not starting with __)`;
      else if (RESERVED.has(k)) errors.labels = `"${k}" is set by Pinchpoint from the job and the URL`;
      else if (typeof v !== "string") errors.labels = `the value of "${k}" must be text`;
      else labels[k] = v;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { url, job, intervalSeconds: interval, labels } };
}
