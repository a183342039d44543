"use client";

import Link from "next/link";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Cell, LabelList, XAxis, YAxis } from "recharts";
import type { PredictedPoint, Recommendation, WindowName } from "./api";
import { formatLostTime } from "./BottleneckTypes";
import { formatDuration, formatPercent, formatRate } from "./format";

export const RECOMMENDATION_LABELS: Record<string, string> = {
  scale_out: "Scale out",
  scale_in: "Scale in",
  scale_up: "Scale up",
  add_workers: "Add workers",
  rate_limit: "Limit concurrency",
  add_cache: "Add a cache",
  fix_n_plus_one: "Fix N+1",
  parallelize_calls: "Run calls in parallel",
  do_not_scale: "Do not scale",
};

/** What a bare number in current/suggested counts. */
const UNITS: Record<string, string> = { scale_out: "replicas", scale_in: "replicas", do_not_scale: "replicas", add_workers: "workers" };

const MANIFEST_FILES: Record<NonNullable<Recommendation["manifest"]>["kind"], string> = {
  HorizontalPodAutoscaler: "hpa",
  ScaledObject: "scaledobject",
  resources: "resources-patch",
};

/** One piece of advice: what to change, from what to what, why, the evidence and a manifest to apply. */
export function RecommendationCard({ rec, timeWindow }: { rec: Recommendation; timeWindow: WindowName }) {
  const hold = rec.kind === "do_not_scale";
  return (
    <article className={`card rc-card rc-kind-${rec.kind}`} data-testid="recommendation" data-kind={rec.kind} aria-labelledby={`rc-${rec.id}`}>
      <header className="rc-head">
        <div>
          <div className="rc-title-line">
            <span className={`rc-badge rc-badge-${rec.kind}`} data-testid="recommendation-kind">
              {RECOMMENDATION_LABELS[rec.kind] ?? rec.kind}
            </span>
            <h2 id={`rc-${rec.id}`}>
              <span className="rc-service">{rec.service}</span>
              {rec.resource && <span className="rc-resource"> · {rec.resource}</span>}
            </h2>
          </div>
          {hold && <p className="rc-hold-note">More replicas would cost money and not fix this.</p>}
        </div>
        <p className="rc-stake">
          {rec.priority > 0 ? (
            <>
              <strong>≈ {formatLostTime(rec.priority)}</strong>
              <span> of user time at stake in this window</span>
            </>
          ) : (
            <span>{rec.kind === "scale_in" ? "Saves cost; no user time at stake" : "No user time measured at stake"}</span>
          )}
        </p>
      </header>

      <Change rec={rec} />
      <p className="rc-rationale" data-testid="recommendation-rationale">
        {rec.rationale}
      </p>

      <div className="rc-body">
        <KeyFigures figures={rec.evidence.figures} />
        {rec.predicted && rec.predicted.length > 0 && (rec.kind === "scale_out" || rec.kind === "scale_in") && (
          <PredictedChart points={rec.predicted} current={Number(rec.current)} suggested={Number(rec.suggested)} />
        )}
      </div>

      {rec.manifest && <ManifestBlock manifest={rec.manifest} fileName={`${rec.service}-${MANIFEST_FILES[rec.manifest.kind]}.yaml`} />}

      {rec.evidence.links.length > 0 && (
        <footer className="rc-links">
          <span className="muted">Evidence:</span>
          {rec.evidence.links.map((l) => (
            <Link key={l.href} href={withWindow(l.href, timeWindow)}>
              {l.href.startsWith("/bottlenecks") ? `Finding: ${l.label}` : l.label}
            </Link>
          ))}
        </footer>
      )}
    </article>
  );
}

/** Current → suggested, or what to keep for a do_not_scale. */
function Change({ rec }: { rec: Recommendation }) {
  const unit = typeof rec.current === "number" ? UNITS[rec.kind] : undefined;
  if (rec.kind === "do_not_scale") {
    return (
      <p className="rc-change" data-testid="recommendation-change">
        Keep {typeof rec.current === "number" ? `${rec.current} ${unit}` : "the replica count as it is"}
      </p>
    );
  }
  // Counts read big; sentences ("87 ms per call, uncached") would not fit at that size.
  const numeric = typeof rec.current === "number" && typeof rec.suggested === "number";
  return (
    <p className={numeric ? "rc-change" : "rc-change words"} data-testid="recommendation-change">
      <span className="rc-from">{rec.current}</span>
      <span className="rc-arrow" aria-label="to">
        {" "}→{" "}
      </span>
      <span className="rc-to">{rec.suggested}</span>
      {unit && <span className="rc-unit"> {unit}</span>}
    </p>
  );
}

const FIGURE_LABELS: Record<string, string> = {
  utilization: "utilization now",
  p95Utilization: "p95 utilization",
  targetUtilization: "target utilization",
  peakUtilization: "peak utilization",
  formula: "HPA formula",
  coresPerReplica: "cores per replica",
  serviceTimeMs: "service time",
  requestRatePerS: "request rate",
  sharedWith: "shared with",
  throughputPerS: "throughput",
  latencyMs: "mean latency",
  inFlight: "in flight",
  maxConcurrency: "max concurrency",
  maxRatePerS: "max rate",
  savingMs: "time to save",
  meanMs: "mean per call",
  msPerHit: "per repeated call",
  errorRate: "error rate",
  errorRateBefore: "error rate before",
  topCause: "top cause",
  timeToDrainS: "drains in",
  timeToDrainWithSuggestedS: "drains with advice in",
};
/** Said by the change above the figures already, or ids rather than figures. */
const HIDDEN_FIGURES = new Set(["currentReplicas", "desiredReplicas", "workersNeeded", "sharedResource"]);
const GIB = 2 ** 30;
const MIB = 2 ** 20;

function figureLabel(key: string): string {
  if (FIGURE_LABELS[key]) return FIGURE_LABELS[key];
  const [name, of] = key.split(":");
  const words = name.replace(/(PerS|Ms|S)$/, "").replace(/([A-Z])/g, " $1").toLowerCase();
  return of ? `${words} for ${of}` : words;
}

/** By the key's unit suffix; large bare numbers are memory in bytes (cores and counts are small). */
function figureValue(key: string, v: number | string): string {
  if (typeof v === "string") return v.replaceAll("_", " ");
  if (/utilization$/i.test(key) || /^errorRate/.test(key)) return formatPercent(v);
  if (key.endsWith("Ms")) return formatDuration(v);
  if (key.endsWith("PerS")) return `${formatRate(v)}/s`;
  if (key.endsWith("S")) return formatDuration(v * 1000);
  if (v >= GIB) return `${(v / GIB).toFixed(2)} GiB`;
  if (v >= MIB) return `${Math.round(v / MIB)} MiB`;
  return Number.isInteger(v) ? v.toLocaleString("en-US") : String(Number(v.toPrecision(3)));
}

function KeyFigures({ figures }: { figures: Recommendation["evidence"]["figures"] }) {
  const shown = Object.entries(figures).filter(([k]) => !HIDDEN_FIGURES.has(k));
  if (shown.length === 0) return null;
  return (
    <dl className="rc-figures" data-testid="recommendation-figures">
      {shown.map(([k, v]) => (
        <div key={k} className={k === "formula" ? "rc-figure wide" : "rc-figure"}>
          <dt>{figureLabel(k)}</dt>
          <dd>{figureValue(k, v)}</dd>
        </div>
      ))}
    </dl>
  );
}

const BAR_COLORS = { now: "#64748b", advised: "#15803d", other: "#cbd5e1", unstable: "#fca5a5" };

/**
 * The what-if of the queueing model: p95 per replica count. A count with no steady state (the
 * queue grows without bound) gets a full-height pale red bar labelled "unstable".
 */
function PredictedChart({ points, current, suggested }: { points: PredictedPoint[]; current: number; suggested: number }) {
  const finite = points.flatMap((p) => (p.p95Ms === null ? [] : [p.p95Ms]));
  const top = finite.length ? Math.max(...finite) * 1.15 : 1;
  const rows = points.map((p) => ({
    replicas: p.replicas,
    bar: p.p95Ms ?? top,
    label: p.p95Ms === null ? "unstable" : formatDuration(p.p95Ms),
    fill: p.p95Ms === null ? BAR_COLORS.unstable : p.replicas === current ? BAR_COLORS.now : p.replicas === suggested ? BAR_COLORS.advised : BAR_COLORS.other,
  }));
  const tick = (r: number) => (r === current ? `${r} (now)` : r === suggested ? `${r} (advised)` : String(r));
  return (
    <figure className="rc-predicted" data-testid="predicted-chart">
      <figcaption>Predicted p95 by replica count</figcaption>
      <BarChart responsive style={{ width: "100%", height: 170 }} data={rows} margin={{ top: 18, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="replicas" type="category" tickFormatter={tick} tick={{ fontSize: 12, fill: "#374151" }} tickLine={false} interval={0} />
        {/* Each bar carries its value: an axis would only repeat them. */}
        <YAxis hide domain={[0, top]} />
        <Bar dataKey="bar" isAnimationActive={false} radius={[3, 3, 0, 0]}>
          {rows.map((r) => (
            <Cell key={r.replicas} fill={r.fill} />
          ))}
          <LabelList dataKey="label" position="top" style={{ fontSize: 11, fill: "#111827" }} />
        </Bar>
      </BarChart>
      {rows.some((r) => r.label === "unstable") && (
        <p className="muted rc-note">Unstable: at that count requests arrive faster than they are served, and the queue grows without bound.</p>
      )}
    </figure>
  );
}

type CopyState = "idle" | "copied" | "failed";

function ManifestBlock({ manifest, fileName }: { manifest: NonNullable<Recommendation["manifest"]>; fileName: string }) {
  const [state, setState] = useState<CopyState>("idle");
  const copy = async () => {
    try {
      // Absent on plain-HTTP origins other than localhost: say so rather than fail silently.
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(manifest.yaml);
      setState("copied");
      setTimeout(() => setState("idle"), 2000);
    } catch {
      setState("failed");
    }
  };
  return (
    <div className="rc-manifest" data-testid="manifest">
      <div className="rc-manifest-bar">
        <span>
          <strong>{manifest.kind}</strong> <span className="muted">manifest</span>
        </span>
        <span className="rc-manifest-actions">
          {state === "failed" && <span className="error-text">The browser refused the clipboard; select the text instead.</span>}
          <button type="button" className="button" onClick={copy} aria-live="polite">
            {state === "copied" ? "Copied" : "Copy"}
          </button>
          <a className="button" href={`data:text/yaml;charset=utf-8,${encodeURIComponent(manifest.yaml)}`} download={fileName}>
            Download {fileName}
          </a>
        </span>
      </div>
      <pre aria-label={`${manifest.kind} manifest`}>
        <code>{manifest.yaml}</code>
      </pre>
    </div>
  );
}

/** The API's links to services pages carry no window: keep the one the user is looking at. */
function withWindow(href: string, timeWindow: WindowName): string {
  if (href.includes("window=")) return href;
  const [path, hash] = href.split("#");
  return `${path}${path.includes("?") ? "&" : "?"}window=${timeWindow}${hash ? `#${hash}` : ""}`;
}
