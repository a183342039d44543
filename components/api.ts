/**
 * Shapes of the JSON API the pages read (see DESIGN.md, "Public HTTP API"), and the one fetch
 * helper they use. Pages and components talk to the server only through these routes.
 */
import type { Recommendation } from "@/lib/analysis/recommendations";

export const WINDOWS = ["15m", "1h", "6h", "24h"] as const;
export type WindowName = (typeof WINDOWS)[number];
export const DEFAULT_WINDOW: WindowName = "1h";

export const WINDOW_LABELS: Record<WindowName, string> = {
  "15m": "last 15 minutes",
  "1h": "last hour",
  "6h": "last 6 hours",
  "24h": "last 24 hours",
};

export function parseWindow(value: string | null | undefined): WindowName {
  return (WINDOWS as readonly string[]).includes(value ?? "") ? (value as WindowName) : DEFAULT_WINDOW;
}

/** Latency and traffic figures shared by a service and its operations. */
export interface Stats {
  /** Requests per second over the window. */
  requestRate: number;
  /** Share of requests with error status, 0..1. */
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  count: number;
  errors: number;
}

export interface OperationStats extends Stats {
  name: string;
  /** Span kind: "server", "client", "consumer", "producer", "internal", "unspecified". */
  kind: string;
  /** Time on the critical path of the window's completed traces (ms, summed). */
  criticalPathMs: number;
  /** Share (0–1) of all critical-path time in the window: how much end-to-end latency it owns. */
  criticalPathShare: number;
  /** Exclusive time of the window's completed traces (ms, summed). */
  selfMs: number;
}

export interface ServiceStats extends Stats {
  name: string;
  operations: OperationStats[];
}

export interface ServicesResponse {
  window: string;
  from: number;
  to: number;
  services: ServiceStats[];
}

export interface LatencyPoint {
  t: number;
  count: number;
  requestRate: number;
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface LatencySeries {
  service: string;
  points: LatencyPoint[];
}

export interface LatencyResponse {
  window: string;
  from: number;
  to: number;
  stepMs: number;
  series: LatencySeries[];
}

export interface HealthResponse {
  status: "ok" | "degraded";
  store?: { reachable: boolean; kind: string };
  queue?: { depth: number; capacity: number };
  collectorPort?: number;
}

/** The OTLP/HTTP port, when /api/health does not say otherwise. */
export const DEFAULT_COLLECTOR_PORT = 4318;

/**
 * GET a JSON document from the API. Rejects with an Error whose message says what went wrong
 * (the server's `error`/`message` field when it sent one, else the HTTP status).
 */
export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return request<T>(url, { signal });
}

/** A rejected request: `fields` holds the per-field messages of a 400 `{ errors }` body, `body` the parsed JSON. */
export class ApiError extends Error {
  constructor(message: string, readonly fields: Record<string, string> = {}, readonly body?: unknown) {
    super(message);
  }
}

/**
 * POST, PUT or DELETE to the API: `body` is sent as JSON, or as it is when a string (YAML).
 * Rejects like fetchJson, with an ApiError carrying the field messages when the body was invalid.
 */
export async function sendJson<T>(method: "POST" | "PUT" | "DELETE", url: string, body?: unknown): Promise<T> {
  const text = typeof body === "string";
  return request<T>(url, {
    method,
    body: body === undefined ? undefined : text ? body : JSON.stringify(body),
    headers: body === undefined ? undefined : { "content-type": text ? "text/yaml" : "application/json" },
  });
}

async function request<T>(url: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, cache: "no-store", headers: { ...init.headers, accept: "application/json" } });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new Error(`the server could not be reached (${err instanceof Error ? err.message : String(err)})`);
  }
  const text = await res.text();
  if (!res.ok) {
    const body = parseOrUndefined(text);
    const fields = res.status === 400 ? fieldErrors(body) : null;
    if (fields) throw new ApiError(`some fields are not valid: ${Object.values(fields).join("; ")}`, fields, body);
    throw new ApiError(`HTTP ${res.status}${describeErrorBody(text) ?? (res.statusText ? ` ${res.statusText}` : "")}`, {}, body);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error("the server sent a response that is not JSON");
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fieldErrors(body: unknown): Record<string, string> | null {
  const errors = body && typeof body === "object" ? (body as { errors?: unknown }).errors : undefined;
  return errors && typeof errors === "object" && !Array.isArray(errors) ? (errors as Record<string, string>) : null;
}

function describeErrorBody(text: string): string | null {
  if (!text) return null;
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === "object") {
      const { error, message } = body as { error?: unknown; message?: unknown };
      const detail = typeof error === "string" ? error : typeof message === "string" ? message : null;
      if (detail) return `: ${detail}`;
    }
  } catch {
    // not JSON: fall through to a short excerpt of the text
  }
  const plain = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return plain && plain.length <= 200 ? `: ${plain}` : null;
}

/** A value per minute: t = epoch ms of the minute's start. */
export interface TimePoint {
  t: number;
  v: number;
}

/** GET /api/resources: a CPU, memory, queue or pool with its per-minute figures. */
export interface ResourceSeries {
  id: string;
  name: string;
  kind: "cpu" | "memory" | "queue" | "pool" | (string & {});
  services: string[];
  metric: string;
  source: string;
  instances: number;
  /** usage / capacity, 0..1+, mean across instances; absent without a capacity (queues). */
  utilization?: TimePoint[];
  /** The busiest instance. */
  maxUtilization?: TimePoint[];
  usage: TimePoint[];
  capacity?: TimePoint[];
  current?: number;
  p95?: number;
  peak?: number;
  queue?: { depth: number; growthPerS: number | null; arrivalPerS?: number; completionPerS?: number; workers?: number };
}

export interface ResourcesResponse {
  window: string;
  from: number;
  to: number;
  resources: ResourceSeries[];
}

// The server's own types: the analysis that builds recommendations is pure, so pages share them.
export type { PredictedPoint, Recommendation, RecommendationKind } from "@/lib/analysis/recommendations";
export interface RecommendationsResponse {
  window: string;
  from: number;
  to: number;
  policy: { targetUtilization: number; minReplicas: number; maxReplicas: number };
  recommendations: Recommendation[];
}
