"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { DEFAULT_COLLECTOR_PORT, fetchJson, WINDOW_LABELS, type HealthResponse, type WindowName } from "./api";

/**
 * Shown when no service sent spans in the window: exactly how to point an SDK or an
 * OpenTelemetry Collector at this Pinchpoint.
 */
export function EmptyState({ timeWindow }: { timeWindow: WindowName }) {
  const health = useQuery({
    queryKey: ["health"],
    queryFn: ({ signal }) => fetchJson<HealthResponse>("/api/health", signal),
    staleTime: 60_000,
    retry: false,
  });
  // The host the browser used to reach this page is the best guess for the SDKs too.
  const [host, setHost] = useState("<host>");
  useEffect(() => {
    const h = globalThis.location?.hostname;
    if (h) setHost(h);
  }, []);

  const port = health.data?.collectorPort ?? DEFAULT_COLLECTOR_PORT;
  const endpoint = `http://${host}:${port}`;
  const envLines = [
    `OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}`,
    "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
    "OTEL_SERVICE_NAME=my-service",
  ].join("\n");
  const collectorYaml = [
    "exporters:",
    "  otlphttp/pinchpoint:",
    `    endpoint: ${endpoint}`,
    "service:",
    "  pipelines:",
    "    traces:",
    "      exporters: [otlphttp/pinchpoint]",
  ].join("\n");

  return (
    <section className="card empty-state" data-testid="empty-state">
      <h2>No traces in the {WINDOW_LABELS[timeWindow]}</h2>
      <p>
        Pinchpoint receives OpenTelemetry traces over OTLP/HTTP on port <strong>{port}</strong>. Point your services at it
        and they appear here within a few seconds.
      </p>

      <h3>From an OpenTelemetry SDK</h3>
      <p>Set these environment variables on each service (any language SDK reads them):</p>
      <CodeBlock text={envLines} label="environment variables" />

      <h3>From an OpenTelemetry Collector</h3>
      <p>
        Add an <code>otlphttp</code> exporter with <code>endpoint: {endpoint}</code> to your traces pipeline:
      </p>
      <CodeBlock text={collectorYaml} label="collector configuration" />

      <p className="muted">
        Traces go to <code>{endpoint}/v1/traces</code> as protobuf or JSON, optionally gzip-compressed.
        {timeWindow !== "24h" && (
          <>
            {" "}
            Sent data earlier? Try the <Link href="/?window=24h">last 24 hours</Link>.
          </>
        )}
        {health.isError && <> (Could not reach /api/health; assuming the default port {DEFAULT_COLLECTOR_PORT}.)</>}
      </p>
    </section>
  );
}

function CodeBlock({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const [canCopy, setCanCopy] = useState(false);
  useEffect(() => setCanCopy(typeof navigator !== "undefined" && !!navigator.clipboard), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCanCopy(false);
    }
  };

  return (
    <div className="code-block">
      <pre aria-label={label}>
        <code>{text}</code>
      </pre>
      {canCopy && (
        <button type="button" className="copy" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </button>
      )}
    </div>
  );
}
