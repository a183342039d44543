/**
 * Resources for the USE method: which stored series describe a CPU, memory, queue or pool
 * (discovered from the metric names well-known exporters use, plus the user's mappings), and
 * their usage and utilization minute by minute.
 *
 * Discovery sees only series metadata, never values, so value-dependent rules (a limit of 0 means
 * unlimited) are applied when measuring.
 */
import { linearSlope, type Point } from "./correlation";
import type {
  MinuteStat,
  ResourceMappingDef,
  ResourceMeasurement,
  ResourcePlan,
  SeriesInfo,
  SeriesSum,
} from "./resource-types";
import { interpolatedQuantile } from "./scaling";

type Capacity = NonNullable<ResourcePlan["instances"][number]["capacity"]>;
type PlanInstance = ResourcePlan["instances"][number];
type Labels = Record<string, string>;

/** Labels naming the service a series belongs to, most specific first. */
const SERVICE_LABELS = ["service", "service_name", "app", "job"];
/** Labels telling one pool or queue from another within a service or job. */
const POOL_ID_LABELS = ["pool", "pool_name", "name", "db", "database"];
const QUEUE_ID_LABELS = ["queue", "queue_name", "topic", "consumergroup", "group", "name"];

const PROCESS_CPU = "process_cpu_seconds_total";
const PROCESS_CPU_LIMIT = "process_cpu_limit_cores";
const PROCESS_MEMORY = "process_resident_memory_bytes";
const PROCESS_MEMORY_LIMIT = "process_memory_limit_bytes";
const CONTAINER_CPU = "container_cpu_usage_seconds_total";
const CONTAINER_CPU_QUOTA = "container_spec_cpu_quota";
const CONTAINER_CPU_PERIOD = "container_spec_cpu_period";
const CONTAINER_MEMORY = "container_memory_working_set_bytes";
const CONTAINER_MEMORY_LIMIT = "container_spec_memory_limit_bytes";
const KSM_LIMITS = "kube_pod_container_resource_limits";
const NODE_CPU = "node_cpu_seconds_total";
const NODE_MEM_TOTAL = "node_memory_MemTotal_bytes";
const NODE_MEM_AVAILABLE = "node_memory_MemAvailable_bytes";
const PG_ACTIVITY = "pg_stat_activity_count";
const PG_MAX_CONNECTIONS = "pg_settings_max_connections";

const KNOWN_METRICS = new Set([
  PROCESS_CPU, PROCESS_CPU_LIMIT, PROCESS_MEMORY, PROCESS_MEMORY_LIMIT, CONTAINER_CPU, CONTAINER_CPU_QUOTA,
  CONTAINER_CPU_PERIOD, CONTAINER_MEMORY, CONTAINER_MEMORY_LIMIT, KSM_LIMITS, NODE_CPU, NODE_MEM_TOTAL,
  NODE_MEM_AVAILABLE, PG_ACTIVITY, PG_MAX_CONNECTIONS,
]);

/** Usage/capacity suffix pairs of generic pools, sharing a prefix and all labels. */
const POOL_PAIRS: [usage: string, capacity: string][] = [
  ["_pool_active", "_pool_max"],
  ["_pool_active_connections", "_pool_max_connections"],
  ["_connections_active", "_connections_max"],
  ["_pool_in_use", "_pool_size"],
  ["_threads_busy", "_threads_max"],
];

/**
 * Queue-depth name rules, in priority order; group 1 is the prefix that the queue's counters and
 * worker gauge share (`jobs_queue_depth` → `jobs`, `rabbitmq_queue_messages_ready` → `rabbitmq`).
 */
const QUEUE_RULES = [/^(.+?)_queue(?:_|$)/, /^(.*queue)_depth/, /^(.+?)_backlog/, /^(.+?)_messages_ready/, /^(.+?)_consumergroup_lag/, /^(.+?)_lag$/];
/** Matches a queue rule but is not a depth: worker counts, ages, sizes in bytes, … */
const NOT_DEPTH = /_(workers|consumers|concurrency|seconds|bytes|ratio|info|timestamp|memory|utili[sz]ation)$/;
/** Among several depth gauges of one queue (RabbitMQ's messages, messages_ready, …), these name the backlog. */
const DEPTH_END = /_(messages_ready|depth|backlog|lag|queue|length|size)$/;
const ARRIVAL_ENDS = ["_enqueued_total", "_published_total", "_produced_total", "_received_total"];
const COMPLETION_ENDS = ["_processed_total", "_consumed_total", "_completed_total", "_acked_total"];
const WORKER_ENDS = ["_workers", "_consumers", "_concurrency"];
const QUEUE_COUNTER = new RegExp(`(${[...ARRIVAL_ENDS, ...COMPLETION_ENDS].join("|")})$`);
const QUEUE_WORKERS = new RegExp(`(${WORKER_ENDS.join("|")})$`);

const NON_GAUGE_TYPES = new Set(["counter", "histogram", "summary", "gaugehistogram", "stateset", "info"]);
const CURRENT_MINUTES = 5;

/** Whether any discovery rule, or one of `mappings`, reads series of this name. */
export function isResourceMetric(name: string, mappings: readonly ResourceMappingDef[] = []): boolean {
  return (
    KNOWN_METRICS.has(name) ||
    queuePrefix(name) !== undefined ||
    QUEUE_COUNTER.test(name) ||
    QUEUE_WORKERS.test(name) ||
    POOL_PAIRS.some(([u, c]) => name.endsWith(u) || name.endsWith(c)) ||
    mappings.some((m) => m.usageMetric === name || m.capacityMetric === name)
  );
}

interface Ctx {
  known: Set<string>;
  byName: Map<string, SeriesInfo[]>;
}

/**
 * Plans for every resource found in `series`, then the user's mappings. A mapping replaces the
 * discovered plans of its kind that it measures again: those with the same (non-empty) services,
 * or reading any of the same usage series (how a host's CPU or a database pool gets its users).
 */
export function planResources(input: { series: SeriesInfo[]; services: string[]; mappings: ResourceMappingDef[] }): ResourcePlan[] {
  const byName = new Map<string, SeriesInfo[]>();
  for (const s of input.series) pushTo(byName, s.name, s);
  const ctx: Ctx = { known: new Set(input.services), byName };
  const discovered = [
    ...workloadPlans(ctx, "cpu"),
    ...workloadPlans(ctx, "memory"),
    ...hostCpuPlans(ctx),
    ...hostMemoryPlans(ctx),
    ...postgresPlans(ctx),
    ...poolPairPlans(ctx),
    ...queuePlans(ctx),
  ].sort((a, b) => a.id.localeCompare(b.id));
  const mapped = input.mappings.map((m) => mappingPlan(m, byName.get(m.usageMetric) ?? [], byName.get(m.capacityMetric ?? "") ?? []));
  return [...discovered.filter((d) => !mapped.some((m) => replaces(m, d))), ...mapped];
}

function replaces(mapping: ResourcePlan, plan: ResourcePlan): boolean {
  if (mapping.kind !== plan.kind) return false;
  if (mapping.services.length > 0 && sameSet(mapping.services, plan.services)) return true;
  const keys = new Set(mapping.instances.flatMap((i) => i.usage.keys));
  return plan.instances.some((i) => i.usage.keys.some((k) => keys.has(k)));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

// ---- ownership -------------------------------------------------------------------------------

/** The first service label whose value is a service seen in traces. */
function serviceOf(labels: Labels, known: Set<string>): string | undefined {
  return SERVICE_LABELS.map((l) => labels[l]).find((v) => v !== undefined && known.has(v));
}

/** Pod names carry generated suffixes: Deployment `-<rs hash>-<5>`, StatefulSet `-<n>`, DaemonSet/Job `-<5>`. */
const POD_SUFFIXES = [/^(.+)-[a-z0-9]{5,10}-[a-z0-9]{5}$/, /^(.+)-\d+$/, /^(.+)-[a-z0-9]{5}$/];

/** cAdvisor and kube-state-metrics series name no app, so the container or the pod's workload must. */
function containerServiceOf(labels: Labels, known: Set<string>): string | undefined {
  const direct = serviceOf(labels, known) ?? (known.has(labels.container) ? labels.container : undefined);
  if (direct !== undefined || labels.pod === undefined) return direct;
  return POD_SUFFIXES.map((re) => re.exec(labels.pod)?.[1]).find((w) => w !== undefined && known.has(w));
}

/** Infrastructure (a database, a broker) exports no service label: it then belongs to its job, users unknown. */
function ownerOf(labels: Labels, known: Set<string>): { owner: string; services: string[] } | undefined {
  const service = serviceOf(labels, known);
  if (service !== undefined) return { owner: service, services: [service] };
  return labels.job === undefined ? undefined : { owner: labels.job, services: [] };
}

// ---- CPU and memory of services ----------------------------------------------------------------

const WORKLOAD = {
  cpu: { container: CONTAINER_CPU, process: PROCESS_CPU, read: "rate", limitGauge: PROCESS_CPU_LIMIT, title: "CPU" },
  memory: { container: CONTAINER_MEMORY, process: PROCESS_MEMORY, read: "gauge", limitGauge: PROCESS_MEMORY_LIMIT, title: "Memory" },
} as const;

interface Found { capacity: Capacity; metric: string }

/**
 * Per service: cAdvisor containers (instance = pod/container) when the service has any, else
 * its processes (instance = the `instance` label); both sources at once would count it twice.
 */
function workloadPlans(ctx: Ctx, kind: "cpu" | "memory"): ResourcePlan[] {
  const rule = WORKLOAD[kind];
  const containers = groupByService(
    (ctx.byName.get(rule.container) ?? []).filter(isContainerSeries),
    (s) => containerServiceOf(s.labels, ctx.known),
    (s) => `${s.labels.pod}/${s.labels.container}`,
  );
  const processes = groupByService(
    ctx.byName.get(rule.process) ?? [],
    (s) => serviceOf(s.labels, ctx.known),
    (s) => s.labels.instance ?? "",
  );
  const plans: ResourcePlan[] = [];
  for (const service of new Set([...containers.keys(), ...processes.keys()])) {
    const fromContainers = containers.has(service);
    const groups = (fromContainers ? containers : processes).get(service)!;
    const sources = new Set<string>();
    const instances = [...groups].map(([instance, series]): PlanInstance => {
      const found = fromContainers ? containerCapacity(ctx, kind, series[0]) : processCapacity(ctx, kind, series[0], service);
      if (found) sources.add(found.metric);
      return { instance, usage: { keys: keysOf(series), read: rule.read }, capacity: found?.capacity };
    });
    const usageMetric = fromContainers ? rule.container : rule.process;
    plans.push({
      id: `${kind}:${service}`,
      name: `${rule.title} of ${service}`,
      kind,
      services: [service],
      source: "discovered",
      metric: evidence(usageMetric, sources),
      instances,
    });
  }
  return plans;
}

/** Real containers only: not the pod-level cgroup (container "") or the pause container, nor old per-CPU series. */
function isContainerSeries(s: SeriesInfo): boolean {
  const { pod, container, cpu } = s.labels;
  return !!pod && !!container && container !== "POD" && (cpu === undefined || cpu === "total");
}

function groupByService(
  series: readonly SeriesInfo[],
  service: (s: SeriesInfo) => string | undefined,
  instance: (s: SeriesInfo) => string,
): Map<string, Map<string, SeriesInfo[]>> {
  const out = new Map<string, Map<string, SeriesInfo[]>>();
  for (const s of series) {
    const svc = service(s);
    if (svc === undefined) continue;
    const byInstance = out.get(svc) ?? new Map<string, SeriesInfo[]>();
    pushTo(byInstance, instance(s), s);
    out.set(svc, byInstance);
  }
  return out;
}

function containerCapacity(ctx: Ctx, kind: "cpu" | "memory", s: SeriesInfo): Found | undefined {
  if (kind === "cpu") {
    const quota = sameContainer(ctx, CONTAINER_CPU_QUOTA, s.labels);
    const period = sameContainer(ctx, CONTAINER_CPU_PERIOD, s.labels);
    if (quota && period) {
      const capacity = { keys: [quota.key], read: "gauge" as const, divideBy: { keys: [period.key], read: "gauge" as const } };
      return { capacity, metric: `${CONTAINER_CPU_QUOTA} / ${CONTAINER_CPU_PERIOD}` };
    }
  } else {
    const limit = sameContainer(ctx, CONTAINER_MEMORY_LIMIT, s.labels);
    if (limit) return { capacity: { keys: [limit.key], read: "gauge" }, metric: CONTAINER_MEMORY_LIMIT };
  }
  return kubeLimit(ctx, kind, s.labels);
}

function processCapacity(ctx: Ctx, kind: "cpu" | "memory", s: SeriesInfo, service: string): Found | undefined {
  const gauge = WORKLOAD[kind].limitGauge;
  const own = (ctx.byName.get(gauge) ?? []).find(
    (l) => (l.labels.instance ?? "") === (s.labels.instance ?? "") && serviceOf(l.labels, ctx.known) === service,
  );
  if (own) return { capacity: { keys: [own.key], read: "gauge" }, metric: gauge };
  return s.labels.pod === undefined ? undefined : kubeLimit(ctx, kind, s.labels);
}

/** kube-state-metrics' limit for the pod's container; a series without a container label must leave no doubt which. */
function kubeLimit(ctx: Ctx, kind: "cpu" | "memory", labels: Labels): Found | undefined {
  const matches = (ctx.byName.get(KSM_LIMITS) ?? []).filter(
    (l) =>
      l.labels.resource === kind &&
      l.labels.pod === labels.pod &&
      (labels.container === undefined || l.labels.container === labels.container) &&
      sameNamespace(l.labels, labels),
  );
  if (matches.length === 0 || (labels.container === undefined && matches.length > 1)) return undefined;
  return { capacity: { keys: [matches[0].key], read: "gauge" }, metric: `${KSM_LIMITS}{resource="${kind}"}` };
}

function sameContainer(ctx: Ctx, name: string, labels: Labels): SeriesInfo | undefined {
  return (ctx.byName.get(name) ?? []).find(
    (l) => l.labels.pod === labels.pod && l.labels.container === labels.container && sameNamespace(l.labels, labels),
  );
}

function sameNamespace(a: Labels, b: Labels): boolean {
  return a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace;
}

function evidence(usageMetric: string, capacitySources: Set<string>): string {
  return capacitySources.size === 0 ? usageMetric : `${usageMetric} vs ${[...capacitySources].join(", ")}`;
}

// ---- hosts -------------------------------------------------------------------------------------

function byInstance(series: readonly SeriesInfo[]): Map<string, SeriesInfo[]> {
  const out = new Map<string, SeriesInfo[]>();
  for (const s of series) pushTo(out, s.labels.instance ?? "", s);
  return out;
}

function hostPlan(kind: "cpu" | "memory", instance: string, metric: string, plan: Omit<PlanInstance, "instance">): ResourcePlan {
  const title = kind === "cpu" ? "CPU" : "Memory";
  return { id: `${kind}:host:${instance}`, name: `${title} of host ${instance}`, kind, services: [], source: "discovered", metric, instances: [{ instance, ...plan }] };
}

/**
 * Busy = every mode but idle, as the usual `1 − rate(idle)` dashboards count it (iowait included:
 * the CPU is free to run other work then, but Grafana's node dashboards count it busy too).
 */
function hostCpuPlans(ctx: Ctx): ResourcePlan[] {
  return [...byInstance(ctx.byName.get(NODE_CPU) ?? [])].map(([instance, series]) =>
    hostPlan("cpu", instance, NODE_CPU, {
      usage: { keys: keysOf(series.filter((s) => s.labels.mode !== "idle")), read: "rate" },
      capacity: { constant: new Set(series.map((s) => s.labels.cpu)).size },
    }),
  );
}

/** Used = MemTotal − MemAvailable: page cache the kernel can reclaim is not pressure. */
function hostMemoryPlans(ctx: Ctx): ResourcePlan[] {
  const available = byInstance(ctx.byName.get(NODE_MEM_AVAILABLE) ?? []);
  return [...byInstance(ctx.byName.get(NODE_MEM_TOTAL) ?? [])]
    .filter(([instance]) => available.has(instance))
    .map(([instance, [total]]) => {
      const [avail] = available.get(instance)!;
      return hostPlan("memory", instance, `${NODE_MEM_TOTAL} − ${NODE_MEM_AVAILABLE}`, {
        usage: { keys: [total.key], read: "gauge", minus: { keys: [avail.key], read: "gauge" } },
        capacity: { keys: [total.key], read: "gauge" },
      });
    });
}

// ---- pools -------------------------------------------------------------------------------------

/** Connections of a PostgreSQL server: pg_stat_activity_count summed over databases and states. */
function postgresPlans(ctx: Ctx): ResourcePlan[] {
  const limits = ctx.byName.get(PG_MAX_CONNECTIONS) ?? [];
  return groupedPlans(ctx, ctx.byName.get(PG_ACTIVITY) ?? [], () => "connections", (owner, name, series) => {
    const instances = [...byInstance(series)].map(([instance, s]): PlanInstance => {
      const limit = limits.find((l) => (l.labels.instance ?? "") === instance && l.labels.job === s[0].labels.job);
      return { instance, usage: { keys: keysOf(s), read: "gauge" }, capacity: limit && { keys: [limit.key], read: "gauge" } };
    });
    return { id: `pool:${owner}:${name}`, name: `PostgreSQL connections of ${owner}`, kind: "pool", metric: `${PG_ACTIVITY} vs ${PG_MAX_CONNECTIONS}`, instances };
  });
}

/** `<p>_pool_active` with `<p>_pool_max` and the like: the capacity series has the same labels. */
function poolPairPlans(ctx: Ctx): ResourcePlan[] {
  return POOL_PAIRS.flatMap(([usageEnd, capacityEnd]) => {
    const usage = [...ctx.byName].filter(([name]) => name.endsWith(usageEnd) && name.length > usageEnd.length).flatMap(([, s]) => s);
    const prefix = (s: SeriesInfo) => s.name.slice(0, -usageEnd.length);
    return groupedPlans(ctx, usage, (s) => idName(prefix(s), s.labels, POOL_ID_LABELS), (owner, name, series) => {
      const capacityName = prefix(series[0]) + capacityEnd;
      const capacities = ctx.byName.get(capacityName) ?? [];
      const instances = [...byInstance(series)].map(([instance, s]): PlanInstance => {
        const caps = capacities.filter((c) => s.some((u) => sameLabels(u.labels, c.labels)));
        return { instance, usage: { keys: keysOf(s), read: "gauge" }, capacity: caps.length > 0 ? { keys: keysOf(caps), read: "gauge" } : undefined };
      });
      const found = instances.some((i) => i.capacity);
      return { id: `pool:${owner}:${name}`, name: `Pool ${name} of ${owner}`, kind: "pool", metric: found ? `${series[0].name} vs ${capacityName}` : series[0].name, instances };
    });
  });
}

/** Groups series by owner and identity name, one plan per group. */
function groupedPlans(
  ctx: Ctx,
  series: readonly SeriesInfo[],
  name: (s: SeriesInfo) => string,
  build: (owner: string, name: string, series: SeriesInfo[]) => Omit<ResourcePlan, "services" | "source">,
): ResourcePlan[] {
  const groups = new Map<string, { owner: string; services: string[]; name: string; series: SeriesInfo[] }>();
  for (const s of series) {
    const owner = ownerOf(s.labels, ctx.known);
    if (!owner) continue;
    const n = name(s);
    const key = `${owner.owner}\u0000${n}`;
    const group = groups.get(key) ?? { ...owner, name: n, series: [] };
    group.series.push(s);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ ...build(g.owner, g.name, g.series), services: g.services, source: "discovered" }));
}

/** `prefix/label values…`, e.g. "hikaricp/HikariPool-1" or "kafka/orders/billing". */
function idName(prefix: string, labels: Labels, idLabels: readonly string[]): string {
  return [prefix, ...idLabels.map((l) => labels[l]).filter((v) => v)].join("/");
}

function sameLabels(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

// ---- queues ------------------------------------------------------------------------------------

function queuePrefix(name: string): string | undefined {
  for (const rule of QUEUE_RULES) {
    const m = rule.exec(name);
    if (m) return m[1];
  }
  return undefined;
}

/** Untyped series (remote write without metadata) count as gauges unless their name says counter or histogram part. */
function isGaugeLike(s: SeriesInfo): boolean {
  if (s.type === "gauge") return true;
  return !NON_GAUGE_TYPES.has(s.type) && !/_(total|bucket|count|sum|created)$/.test(s.name);
}

function isCounter(s: SeriesInfo): boolean {
  return s.type === "counter" || s.name.endsWith("_total");
}

/** Depth gauges grouped per owner and queue identity; the plan reads one depth metric, the most backlog-like name. */
function queuePlans(ctx: Ctx): ResourcePlan[] {
  const depths = [...ctx.byName.values()].flat().filter((s) => queuePrefix(s.name) !== undefined && !NOT_DEPTH.test(s.name) && isGaugeLike(s));
  return groupedPlans(ctx, depths, (s) => idName(queuePrefix(s.name)!, s.labels, QUEUE_ID_LABELS), (owner, name, series) => {
    const metric = [...new Set(series.map((s) => s.name))].sort(byDepthPreference)[0];
    const chosen = series.filter((s) => s.name === metric);
    const prefix = queuePrefix(metric)!;
    const sibling = (ends: readonly string[], accept: (s: SeriesInfo) => boolean, read: SeriesSum["read"]) =>
      queueSibling(
        ctx,
        prefix,
        ends,
        (s) => accept(s) && idName(prefix, s.labels, QUEUE_ID_LABELS) === name && ownerOf(s.labels, ctx.known)?.owner === owner,
        read,
      );
    return {
      id: `queue:${owner}:${name}`,
      name: `Queue ${name} of ${owner}`,
      kind: "queue",
      metric,
      instances: [...byInstance(chosen)].map(([instance, s]) => ({ instance, usage: { keys: keysOf(s), read: "gauge" } })),
      queue: {
        arrivals: sibling(ARRIVAL_ENDS, isCounter, "rate"),
        completions: sibling(COMPLETION_ENDS, isCounter, "rate"),
        workers: sibling(WORKER_ENDS, isGaugeLike, "gauge"),
      },
    };
  });
}

function byDepthPreference(a: string, b: string): number {
  const rank = (n: string) => (DEPTH_END.test(n) ? 0 : 1);
  return rank(a) - rank(b) || a.length - b.length || a.localeCompare(b);
}

/**
 * The queue's series named `<prefix>_…<end>` (first end in list order that exists, one metric
 * name), e.g. `jobs_enqueued_total` or `rabbitmq_queue_messages_published_total`.
 */
function queueSibling(
  ctx: Ctx,
  prefix: string,
  ends: readonly string[],
  accept: (s: SeriesInfo) => boolean,
  read: SeriesSum["read"],
): SeriesSum | undefined {
  for (const end of ends) {
    const names = [...ctx.byName.keys()].filter((n) => n.startsWith(`${prefix}_`) && n.endsWith(end)).sort();
    for (const n of names) {
      const series = ctx.byName.get(n)!.filter(accept);
      if (series.length > 0) return { keys: keysOf(series), read };
    }
  }
  return undefined;
}

// ---- mappings ----------------------------------------------------------------------------------

function hasLabels(labels: Labels, wanted: Labels): boolean {
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

/**
 * Usage per `instance` label; capacity a constant, or the capacity series of the same instance,
 * else those without an instance label (one limit for all, e.g. a broker-wide setting).
 */
function mappingPlan(m: ResourceMappingDef, usageSeries: SeriesInfo[], capacitySeries: SeriesInfo[]): ResourcePlan {
  const usage = usageSeries.filter((s) => hasLabels(s.labels, m.usageLabels));
  const capacities = byInstance(capacitySeries.filter((s) => hasLabels(s.labels, m.capacityLabels)));
  const shared = capacities.get("") ?? [];
  const capacityFor = (instance: string): Capacity | undefined => {
    if (m.capacityConstant !== undefined) return { constant: m.capacityConstant };
    const own = capacities.get(instance) ?? shared;
    return own.length > 0 ? { keys: keysOf(own), read: "gauge" } : undefined;
  };
  return {
    id: `mapping:${m.id}`,
    name: m.name,
    kind: m.kind,
    services: [...m.services],
    source: "mapping",
    metric: m.capacityMetric ? `${m.usageMetric} vs ${m.capacityMetric}` : m.usageMetric,
    instances: [...byInstance(usage)].map(([instance, s]) => ({
      instance,
      usage: { keys: keysOf(s), read: s.some(isCounter) ? "rate" : "gauge" },
      capacity: capacityFor(instance),
    })),
  };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function keysOf(series: readonly SeriesInfo[]): number[] {
  return series.map((s) => s.key);
}

// ---- measurement -------------------------------------------------------------------------------

type Stats = Map<number, MinuteStat[]>;
/** Minute start → value. */
type Minutes = Map<number, number>;

/**
 * Usage and utilization of each plan per minute within [fromMs, toMs). A minute missing for a
 * series is skipped, never read as 0; an instance's sum counts the series reporting that minute,
 * since one instance's series come from one scrape and a series absent while its siblings report
 * has gone away (a dropped database), not gapped.
 */
export function measureResources(plans: ResourcePlan[], stats: Map<number, MinuteStat[]>, window: { fromMs: number; toMs: number }): ResourceMeasurement[] {
  const windowed: Stats = new Map();
  for (const [key, list] of stats) windowed.set(key, list.filter((s) => s.t >= window.fromMs && s.t < window.toMs));
  return plans.map((plan) => measurePlan(plan, windowed));
}

function measurePlan(plan: ResourcePlan, stats: Stats): ResourceMeasurement {
  const perInstance = plan.instances.map((i) => {
    const usage = readSum(i.usage, stats);
    return { usage, capacity: i.capacity && readCapacity(i.capacity, usage, stats) };
  });
  const times = [...new Set(perInstance.flatMap((p) => [...p.usage.keys(), ...(p.capacity?.keys() ?? [])]))].sort((a, b) => a - b);
  const usage: Point[] = [];
  const capacity: Point[] = [];
  const utilization: Point[] = [];
  const maxUtilization: Point[] = [];
  for (const t of times) {
    const used = perInstance.map((p) => p.usage.get(t));
    const caps = perInstance.map((p) => p.capacity?.get(t));
    const ratios = used.flatMap((u, i) => (u !== undefined && caps[i] !== undefined ? [u / caps[i]!] : []));
    pushSum(usage, t, used);
    pushSum(capacity, t, caps);
    if (ratios.length > 0) {
      utilization.push({ t, v: mean(ratios) });
      maxUtilization.push({ t, v: Math.max(...ratios) });
    }
  }
  const hasCapacity = plan.instances.some((i) => i.capacity);
  const values = utilization.map((p) => p.v);
  const sorted = [...values].sort((a, b) => a - b);
  return {
    plan,
    instances: perInstance.filter((p) => p.usage.size > 0 || (p.capacity?.size ?? 0) > 0).length,
    utilization: hasCapacity ? utilization : undefined,
    maxUtilization: hasCapacity ? maxUtilization : undefined,
    usage,
    capacity: hasCapacity ? capacity : undefined,
    current: values.length > 0 ? mean(values.slice(-CURRENT_MINUTES)) : undefined,
    p95: sorted.length > 0 ? interpolatedQuantile(sorted, 0.95) : undefined,
    peak: sorted.length > 0 ? sorted[sorted.length - 1] : undefined,
    usagePerInstance: perInstance.flatMap((p) => [...p.usage.values()]),
    queue: plan.kind === "queue" ? measureQueue(plan.queue, usage, stats) : undefined,
  };
}

function pushSum(points: Point[], t: number, values: (number | undefined)[]): void {
  const present = values.filter((v): v is number => v !== undefined);
  if (present.length > 0) points.push({ t, v: present.reduce((s, v) => s + v, 0) });
}

/** (Σ keys − minus) / divideBy × scale per minute; a minute where `minus` or `divideBy` is missing (or the divisor 0) is dropped. */
function readSum(sum: SeriesSum, stats: Stats): Minutes {
  const out: Minutes = new Map();
  for (const key of sum.keys) {
    for (const s of stats.get(key) ?? []) {
      const v = sum.read === "rate" ? s.rate : s.avg;
      if (v !== undefined && Number.isFinite(v)) out.set(s.t, (out.get(s.t) ?? 0) + v);
    }
  }
  const minus = sum.minus && readSum(sum.minus, stats);
  const divisor = sum.divideBy && readSum(sum.divideBy, stats);
  for (const [t, v] of out) {
    const m = minus ? minus.get(t) : 0;
    const d = divisor ? divisor.get(t) : 1;
    if (m === undefined || d === undefined || d === 0) out.delete(t);
    else out.set(t, ((v - m) / d) * (sum.scale ?? 1));
  }
  return out;
}

/** A constant holds wherever usage was measured. A limit ≤ 0 is "unlimited" (cAdvisor's 0, a quota of −1): no capacity. */
function readCapacity(capacity: Capacity, usage: Minutes, stats: Stats): Minutes {
  const values: Minutes = "constant" in capacity ? new Map([...usage.keys()].map((t) => [t, capacity.constant])) : readSum(capacity, stats);
  for (const [t, v] of values) if (!(v > 0)) values.delete(t);
  return values;
}

function measureQueue(queue: ResourcePlan["queue"], depth: Point[], stats: Stats): ResourceMeasurement["queue"] {
  if (depth.length === 0) return undefined;
  const points = (sum: SeriesSum) => [...readSum(sum, stats)].sort(([a], [b]) => a - b).map(([, v]) => v);
  const recentRate = (sum?: SeriesSum) => {
    const values = sum ? points(sum).slice(-CURRENT_MINUTES) : [];
    return values.length > 0 ? mean(values) : undefined;
  };
  const workers = queue?.workers ? points(queue.workers) : [];
  return {
    depth: depth[depth.length - 1].v,
    growthPerS: linearSlope(depth),
    arrivalPerS: recentRate(queue?.arrivals),
    completionPerS: recentRate(queue?.completions),
    workers: workers.length > 0 ? workers[workers.length - 1] : undefined,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
