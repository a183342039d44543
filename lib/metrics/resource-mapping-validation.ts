import type { ResourceMappingDef } from "../analysis/resource-types";

export type MappingCheck = { ok: true; value: Omit<ResourceMappingDef, "id"> } | { ok: false; errors: Record<string, string> };

const KINDS = ["cpu", "memory", "queue", "pool"] as const;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function labelsOf(v: unknown, field: string, errors: Record<string, string>): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v) || Object.values(v).some((x) => typeof x !== "string")) {
    errors[field] = "Labels must be an object of name: text value, e.g. { \"pool\": \"main\" }";
    return {};
  }
  return v as Record<string, string>;
}

/** The rules for a user's resource mapping (the metric for usage, the metric or constant for capacity, the services using it). */
export function validateResourceMapping(input: unknown, takenNames: string[]): MappingCheck {
  const b = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const name = typeof b.name === "string" ? b.name.trim() : "";
  if (!name) errors.name = "Give the resource a name, e.g. orders DB pool";
  else if (takenNames.some((n) => n.toLowerCase() === name.toLowerCase())) errors.name = `A resource named "${name}" already exists`;
  if (!KINDS.includes(b.kind as (typeof KINDS)[number])) errors.kind = `Kind must be one of ${KINDS.join(", ")}`;
  const services = Array.isArray(b.services) ? b.services.filter((s): s is string => typeof s === "string" && s.trim() !== "").map((s) => s.trim()) : [];
  if (services.length === 0) errors.services = "Name at least one service that uses it (two or more make it a shared resource)";
  const usageMetric = typeof b.usageMetric === "string" ? b.usageMetric.trim() : "";
  if (!METRIC_NAME.test(usageMetric)) errors.usageMetric = "Usage must be a metric name, e.g. pgbouncer_pools_client_active_connections";
  const capacityMetric = typeof b.capacityMetric === "string" && b.capacityMetric.trim() ? b.capacityMetric.trim() : undefined;
  if (capacityMetric !== undefined && !METRIC_NAME.test(capacityMetric)) errors.capacityMetric = "Capacity must be a metric name";
  const constant = b.capacityConstant === undefined || b.capacityConstant === null || b.capacityConstant === "" ? undefined : Number(b.capacityConstant);
  if (constant !== undefined && !(constant > 0)) errors.capacityConstant = "Capacity must be a positive number";
  if (constant !== undefined && capacityMetric !== undefined) errors.capacityConstant = "Give the capacity as a metric or as a number, not both";
  if (constant === undefined && capacityMetric === undefined && b.kind !== "queue") errors.capacityConstant = "Give the capacity (a metric or a number): utilization is usage divided by it";
  const usageLabels = labelsOf(b.usageLabels, "usageLabels", errors);
  const capacityLabels = labelsOf(b.capacityLabels, "capacityLabels", errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { name, kind: b.kind as ResourceMappingDef["kind"], services: [...new Set(services)], usageMetric, usageLabels,
    ...(capacityMetric ? { capacityMetric } : {}), capacityLabels, ...(constant !== undefined ? { capacityConstant: constant } : {}) } };
}
