import { describe, expect, it } from "vitest";
import type { MinuteStat, ResourceMappingDef, ResourcePlan, SeriesInfo } from "./resource-types";
import { isResourceMetric, measureResources, planResources } from "./resources";

const MIN = 60_000;
const T0 = 30_000_000 * MIN;
const WINDOW = { fromMs: T0, toMs: T0 + 60 * MIN };

/** A series list with keys assigned in order, typed as the exporters declare them. */
function catalog() {
  const series: SeriesInfo[] = [];
  const add = (name: string, labels: Record<string, string> = {}, type = name.endsWith("_total") ? "counter" : "gauge") => {
    const s = { key: series.length + 1, name, labels, type };
    series.push(s);
    return s;
  };
  return { series, add };
}

/** Minute stats from minute `from` on: `v` is the gauge value and, for counters, the rate. */
function minutes(values: readonly (number | undefined)[], from = 0): MinuteStat[] {
  return values.flatMap((v, i) => (v === undefined ? [] : [{ t: T0 + (from + i) * MIN, avg: v, max: v, last: v, rate: v }]));
}

function constant(v: number, count = 10): number[] {
  return Array.from({ length: count }, () => v);
}

const plan = (plans: ResourcePlan[], id: string) => {
  const p = plans.find((x) => x.id === id);
  if (!p) throw new Error(`no plan ${id} in ${plans.map((x) => x.id).join(", ")}`);
  return p;
};

const mapping = (m: Partial<ResourceMappingDef> & Pick<ResourceMappingDef, "id" | "kind" | "usageMetric">): ResourceMappingDef => ({
  name: m.id,
  services: [],
  usageLabels: {},
  capacityLabels: {},
  ...m,
});

describe("isResourceMetric", () => {
  it("accepts every name a rule reads and rejects the rest", () => {
    for (const name of [
      "process_cpu_seconds_total",
      "container_spec_cpu_period",
      "kube_pod_container_resource_limits",
      "node_memory_MemAvailable_bytes",
      "pg_settings_max_connections",
      "jobs_queue_depth",
      "kafka_consumergroup_lag",
      "jobs_enqueued_total",
      "jobs_workers",
      "hikaricp_connections_max",
      "tomcat_threads_busy",
    ]) {
      expect(isResourceMetric(name), name).toBe(true);
    }
    expect(isResourceMetric("http_server_duration_seconds_bucket")).toBe(false);
    expect(isResourceMetric("go_goroutines")).toBe(false);
  });

  it("accepts the metrics the user's mappings read", () => {
    const m = mapping({ id: "redis", kind: "memory", usageMetric: "redis_memory_used_bytes", capacityMetric: "redis_memory_max_bytes" });
    expect(isResourceMetric("redis_memory_max_bytes")).toBe(false);
    expect(isResourceMetric("redis_memory_max_bytes", [m])).toBe(true);
    expect(isResourceMetric("redis_memory_used_bytes", [m])).toBe(true);
  });
});

describe("planResources: services", () => {
  it("finds a Node app's CPU per instance from process_cpu_seconds_total, without capacity", () => {
    const { series, add } = catalog();
    const a = add("process_cpu_seconds_total", { job: "checkout", instance: "10.0.0.1:9464" });
    const b = add("process_cpu_seconds_total", { job: "checkout", instance: "10.0.0.2:9464" });
    const [p] = planResources({ series, services: ["checkout"], mappings: [] });
    expect(p).toEqual({
      id: "cpu:checkout",
      name: "CPU of checkout",
      kind: "cpu",
      services: ["checkout"],
      source: "discovered",
      metric: "process_cpu_seconds_total",
      instances: [
        { instance: "10.0.0.1:9464", usage: { keys: [a.key], read: "rate" }, capacity: undefined },
        { instance: "10.0.0.2:9464", usage: { keys: [b.key], read: "rate" }, capacity: undefined },
      ],
    });
  });

  it("takes the first of service, service_name, app, job that names a traced service", () => {
    const { series, add } = catalog();
    add("process_cpu_seconds_total", { service: "payments", job: "kubernetes-pods", instance: "a" });
    add("process_cpu_seconds_total", { service: "checkout-svc", app: "checkout", job: "kubernetes-pods", instance: "b" });
    add("process_cpu_seconds_total", { service_name: "search", job: "search-job", instance: "c" });
    const ids = planResources({ series, services: ["checkout", "payments", "search"], mappings: [] }).map((p) => p.id);
    expect(ids).toEqual(["cpu:checkout", "cpu:payments", "cpu:search"]);
  });

  it("ignores series of services not seen in traces", () => {
    const { series, add } = catalog();
    add("process_cpu_seconds_total", { job: "legacy", instance: "a" });
    add("process_resident_memory_bytes", { job: "legacy", instance: "a" });
    add("container_cpu_usage_seconds_total", { namespace: "shop", pod: "legacy-5d8f7c9b6-abcde", container: "legacy" });
    expect(planResources({ series, services: ["checkout"], mappings: [] })).toEqual([]);
  });

  it("reads the app's own limit gauge for the same instance", () => {
    const { series, add } = catalog();
    add("process_cpu_seconds_total", { job: "checkout", instance: "a" });
    const limit = add("process_cpu_limit_cores", { job: "checkout", instance: "a" });
    add("process_cpu_limit_cores", { job: "checkout", instance: "b" });
    const p = plan(planResources({ series, services: ["checkout"], mappings: [] }), "cpu:checkout");
    expect(p.instances[0].capacity).toEqual({ keys: [limit.key], read: "gauge" });
    expect(p.metric).toBe("process_cpu_seconds_total vs process_cpu_limit_cores");
  });

  it("groups cAdvisor CPU by pod/container, skips pod cgroups and pause containers, and divides quota by period", () => {
    const { series, add } = catalog();
    const pod = "checkout-7d9f8c6b5-x2x9z";
    const usage = add("container_cpu_usage_seconds_total", { namespace: "shop", pod, container: "checkout", instance: "node1" });
    add("container_cpu_usage_seconds_total", { namespace: "shop", pod, container: "POD", instance: "node1" });
    add("container_cpu_usage_seconds_total", { namespace: "shop", pod, container: "", instance: "node1" });
    add("container_spec_cpu_quota", { namespace: "other", pod, container: "checkout" });
    const quota = add("container_spec_cpu_quota", { namespace: "shop", pod, container: "checkout" });
    const period = add("container_spec_cpu_period", { namespace: "shop", pod, container: "checkout" });
    const p = plan(planResources({ series, services: ["checkout"], mappings: [] }), "cpu:checkout");
    expect(p.instances).toEqual([
      {
        instance: `${pod}/checkout`,
        usage: { keys: [usage.key], read: "rate" },
        capacity: { keys: [quota.key], read: "gauge", divideBy: { keys: [period.key], read: "gauge" } },
      },
    ]);
  });

  it("names a container's service from its pod's workload and falls back to kube-state-metrics limits", () => {
    const { series, add } = catalog();
    add("container_cpu_usage_seconds_total", { namespace: "shop", pod: "payments-7d9f8c6b5-x2x9z", container: "app" });
    add("container_cpu_usage_seconds_total", { namespace: "shop", pod: "ledger-0", container: "app" });
    add("container_cpu_usage_seconds_total", { namespace: "shop", pod: "gateway-7f6d5c4b3-qwert", container: "search" });
    const ksm = add("kube_pod_container_resource_limits", { namespace: "shop", pod: "payments-7d9f8c6b5-x2x9z", container: "app", resource: "cpu", unit: "core" });
    add("kube_pod_container_resource_limits", { namespace: "shop", pod: "payments-7d9f8c6b5-x2x9z", container: "app", resource: "memory", unit: "byte" });
    const plans = planResources({ series, services: ["payments", "ledger", "search"], mappings: [] });
    expect(plans.map((p) => p.id)).toEqual(["cpu:ledger", "cpu:payments", "cpu:search"]);
    expect(plan(plans, "cpu:payments").instances[0].capacity).toEqual({ keys: [ksm.key], read: "gauge" });
    expect(plan(plans, "cpu:ledger").instances[0].capacity).toBeUndefined();
  });

  it("matches a process to kube-state-metrics limits by resource, pod and container, only when unambiguous", () => {
    const { series, add } = catalog();
    const ksm = (pod: string, container: string, resource: string) =>
      add("kube_pod_container_resource_limits", { namespace: "shop", pod, container, resource, job: "kube-state-metrics" });
    add("process_resident_memory_bytes", { job: "checkout", instance: "a", namespace: "shop", pod: "checkout-0" });
    add("process_resident_memory_bytes", { job: "checkout", instance: "b", namespace: "shop", pod: "checkout-1" });
    add("process_resident_memory_bytes", { job: "checkout", instance: "c", namespace: "shop", pod: "checkout-2", container: "checkout" });
    ksm("checkout-0", "checkout", "cpu");
    const single = ksm("checkout-0", "checkout", "memory");
    ksm("checkout-1", "checkout", "memory");
    ksm("checkout-1", "envoy", "memory");
    ksm("checkout-2", "envoy", "memory");
    const named = ksm("checkout-2", "checkout", "memory");
    const [p] = planResources({ series, services: ["checkout"], mappings: [] });
    expect(p.instances.map((i) => i.capacity)).toEqual([{ keys: [single.key], read: "gauge" }, undefined, { keys: [named.key], read: "gauge" }]);
  });

  it("prefers cAdvisor over process metrics for one service, so it is not counted twice", () => {
    const { series, add } = catalog();
    add("process_cpu_seconds_total", { job: "checkout", instance: "10.0.0.1:9464" });
    add("container_cpu_usage_seconds_total", { namespace: "shop", pod: "checkout-7d9f8c6b5-x2x9z", container: "checkout" });
    const [p] = planResources({ series, services: ["checkout"], mappings: [] });
    expect(p.metric).toBe("container_cpu_usage_seconds_total");
    expect(p.instances.map((i) => i.instance)).toEqual(["checkout-7d9f8c6b5-x2x9z/checkout"]);
  });

  it("plans memory from the working set vs the container limit, and RSS vs the app's limit gauge", () => {
    const { series, add } = catalog();
    const pod = "checkout-7d9f8c6b5-x2x9z";
    const ws = add("container_memory_working_set_bytes", { namespace: "shop", pod, container: "checkout" });
    const limit = add("container_spec_memory_limit_bytes", { namespace: "shop", pod, container: "checkout" });
    const rss = add("process_resident_memory_bytes", { job: "search", instance: "s1" });
    const own = add("process_memory_limit_bytes", { job: "search", instance: "s1" });
    const plans = planResources({ series, services: ["checkout", "search"], mappings: [] });
    expect(plan(plans, "memory:checkout").instances[0]).toMatchObject({ usage: { keys: [ws.key], read: "gauge" }, capacity: { keys: [limit.key] } });
    expect(plan(plans, "memory:search").instances[0]).toMatchObject({ usage: { keys: [rss.key], read: "gauge" }, capacity: { keys: [own.key] } });
  });
});

describe("planResources: hosts", () => {
  it("plans node_exporter CPU per host: every mode but idle, capacity = distinct CPUs", () => {
    const { series, add } = catalog();
    const busy: number[] = [];
    for (const cpu of ["0", "1"]) {
      for (const mode of ["idle", "user", "system", "iowait"]) {
        const s = add("node_cpu_seconds_total", { cpu, mode, instance: "node1:9100", job: "node" });
        if (mode !== "idle") busy.push(s.key);
      }
    }
    add("node_cpu_seconds_total", { cpu: "0", mode: "idle", instance: "node2:9100", job: "node" });
    const plans = planResources({ series, services: ["node"], mappings: [] });
    expect(plans.map((p) => p.id)).toEqual(["cpu:host:node1:9100", "cpu:host:node2:9100"]);
    expect(plan(plans, "cpu:host:node1:9100")).toMatchObject({
      name: "CPU of host node1:9100",
      services: [],
      instances: [{ instance: "node1:9100", usage: { keys: busy, read: "rate" }, capacity: { constant: 2 } }],
    });
  });

  it("plans host memory as MemTotal − MemAvailable of MemTotal", () => {
    const { series, add } = catalog();
    const total = add("node_memory_MemTotal_bytes", { instance: "node1:9100", job: "node" });
    const avail = add("node_memory_MemAvailable_bytes", { instance: "node1:9100", job: "node" });
    const p = plan(planResources({ series, services: [], mappings: [] }), "memory:host:node1:9100");
    expect(p.instances[0]).toEqual({
      instance: "node1:9100",
      usage: { keys: [total.key], read: "gauge", minus: { keys: [avail.key], read: "gauge" } },
      capacity: { keys: [total.key], read: "gauge" },
    });
  });
});

describe("planResources: pools", () => {
  it("sums postgres_exporter's pg_stat_activity_count per server against max_connections, owned by the job", () => {
    const { series, add } = catalog();
    const usage = ["active", "idle", "idle in transaction"].map((state) => add("pg_stat_activity_count", { datname: "shop", state, instance: "pg:9187", job: "postgres" }));
    const max = add("pg_settings_max_connections", { instance: "pg:9187", job: "postgres" });
    const p = plan(planResources({ series, services: ["checkout"], mappings: [] }), "pool:postgres:connections");
    expect(p).toMatchObject({ kind: "pool", services: [], metric: "pg_stat_activity_count vs pg_settings_max_connections" });
    expect(p.instances).toEqual([{ instance: "pg:9187", usage: { keys: usage.map((s) => s.key), read: "gauge" }, capacity: { keys: [max.key], read: "gauge" } }]);
  });

  it("pairs HikariCP and thread-pool gauges with the same prefix and labels", () => {
    const { series, add } = catalog();
    const active = add("hikaricp_connections_active", { pool: "HikariPool-1", job: "checkout", instance: "a" });
    add("hikaricp_connections_max", { pool: "HikariPool-2", job: "checkout", instance: "a" });
    const max = add("hikaricp_connections_max", { pool: "HikariPool-1", job: "checkout", instance: "a" });
    const busy = add("jetty_threads_busy", { job: "checkout", instance: "a" });
    const threads = add("jetty_threads_max", { job: "checkout", instance: "a" });
    const plans = planResources({ series, services: ["checkout"], mappings: [] });
    expect(plan(plans, "pool:checkout:hikaricp/HikariPool-1")).toMatchObject({
      services: ["checkout"],
      instances: [{ usage: { keys: [active.key] }, capacity: { keys: [max.key] } }],
    });
    expect(plan(plans, "pool:checkout:jetty").instances[0]).toMatchObject({ usage: { keys: [busy.key] }, capacity: { keys: [threads.key] } });
  });
});

describe("planResources: queues", () => {
  it("finds an app's queue with its arrival and completion counters and worker gauge by prefix", () => {
    const { series, add } = catalog();
    const depth = add("jobs_queue_depth", { job: "checkout", instance: "a" });
    const arrivals = add("jobs_enqueued_total", { job: "checkout", instance: "a" });
    const done = add("jobs_processed_total", { job: "checkout", instance: "a" });
    const workers = add("jobs_workers", { job: "checkout", instance: "a" });
    add("jobs_queue_wait_seconds", { job: "checkout", instance: "a" });
    add("mail_enqueued_total", { job: "checkout", instance: "a" });
    const plans = planResources({ series, services: ["checkout"], mappings: [] });
    expect(plans.map((p) => p.id)).toEqual(["queue:checkout:jobs"]);
    expect(plans[0]).toMatchObject({
      kind: "queue",
      metric: "jobs_queue_depth",
      instances: [{ instance: "a", usage: { keys: [depth.key], read: "gauge" } }],
      queue: { arrivals: { keys: [arrivals.key], read: "rate" }, completions: { keys: [done.key], read: "rate" }, workers: { keys: [workers.key], read: "gauge" } },
    });
  });

  it("reads RabbitMQ's messages_ready per queue, not its totals, consumers or counters", () => {
    const { series, add } = catalog();
    const labels = (queue: string) => ({ queue, vhost: "/", job: "rabbitmq", instance: "mq:9419" });
    const ready = add("rabbitmq_queue_messages_ready", labels("orders"));
    add("rabbitmq_queue_messages", labels("orders"));
    const consumers = add("rabbitmq_queue_consumers", labels("orders"));
    add("rabbitmq_queue_consumers", labels("emails"));
    const published = add("rabbitmq_queue_messages_published_total", labels("orders"));
    const plans = planResources({ series, services: ["checkout"], mappings: [] });
    expect(plans.map((p) => p.id)).toEqual(["queue:rabbitmq:rabbitmq/orders"]);
    expect(plans[0]).toMatchObject({
      services: [],
      metric: "rabbitmq_queue_messages_ready",
      instances: [{ usage: { keys: [ready.key] } }],
      queue: { arrivals: { keys: [published.key] }, workers: { keys: [consumers.key] } },
    });
  });

  it("sums kafka_exporter's consumer-group lag over partitions, per topic and group", () => {
    const { series, add } = catalog();
    const lag = ["0", "1"].map((partition) => add("kafka_consumergroup_lag", { consumergroup: "billing", topic: "orders", partition, job: "kafka", instance: "k:9308" }));
    add("kafka_consumergroup_lag_sum", { consumergroup: "billing", topic: "orders", job: "kafka", instance: "k:9308" });
    const [p] = planResources({ series, services: [], mappings: [] });
    expect(p.id).toBe("queue:kafka:kafka/orders/billing");
    expect(p.instances).toEqual([{ instance: "k:9308", usage: { keys: lag.map((s) => s.key), read: "gauge" } }]);
  });

  it("recognises _queue, _backlog, _lag and queue_depth names", () => {
    const { series, add } = catalog();
    add("email_queue", { job: "checkout" });
    add("invoices_backlog", { job: "checkout" });
    add("orders_consumer_lag", { job: "checkout" });
    add("workqueue_depth", { name: "reconcile", job: "checkout" });
    add("invoices_backlog_total", { job: "checkout" }, "counter");
    const ids = planResources({ series, services: ["checkout"], mappings: [] }).map((p) => p.id);
    expect(ids).toEqual(["queue:checkout:email", "queue:checkout:invoices", "queue:checkout:orders_consumer", "queue:checkout:workqueue/reconcile"]);
  });
});

describe("planResources: mappings", () => {
  it("replaces a discovered plan of the same kind and services", () => {
    const { series, add } = catalog();
    add("process_cpu_seconds_total", { job: "checkout", instance: "a" });
    add("process_resident_memory_bytes", { job: "checkout", instance: "a" });
    const usage = add("my_cpu_cores", { job: "checkout", instance: "a" });
    const m = mapping({ id: "m1", name: "CPU of checkout (cgroup)", kind: "cpu", services: ["checkout"], usageMetric: "my_cpu_cores", capacityConstant: 2 });
    const plans = planResources({ series, services: ["checkout"], mappings: [m] });
    expect(plans.map((p) => p.id)).toEqual(["memory:checkout", "mapping:m1"]);
    expect(plan(plans, "mapping:m1")).toEqual({
      id: "mapping:m1",
      name: "CPU of checkout (cgroup)",
      kind: "cpu",
      services: ["checkout"],
      source: "mapping",
      metric: "my_cpu_cores",
      instances: [{ instance: "a", usage: { keys: [usage.key], read: "gauge" }, capacity: { constant: 2 } }],
    });
  });

  it("makes the postgres pool shared by naming its users, replacing the discovered one", () => {
    const { series, add } = catalog();
    const usage = ["active", "idle"].map((state) => add("pg_stat_activity_count", { datname: "shop", state, instance: "pg:9187", job: "postgres" }));
    const max = add("pg_settings_max_connections", { instance: "pg:9187", job: "postgres" });
    const m = mapping({ id: "pg", name: "Shop database connections", kind: "pool", services: ["checkout", "payments"], usageMetric: "pg_stat_activity_count", capacityMetric: "pg_settings_max_connections" });
    const plans = planResources({ series, services: ["checkout", "payments"], mappings: [m] });
    expect(plans.map((p) => p.id)).toEqual(["mapping:pg"]);
    expect(plans[0]).toMatchObject({ services: ["checkout", "payments"], instances: [{ instance: "pg:9187", usage: { keys: usage.map((s) => s.key), read: "gauge" }, capacity: { keys: [max.key] } }] });
  });

  it("reads counters as rates, filters by labels, and applies an instance-less capacity to every instance", () => {
    const { series, add } = catalog();
    const a = add("worker_busy_seconds_total", { pool: "io", instance: "a" });
    const b = add("worker_busy_seconds_total", { pool: "io", instance: "b" });
    add("worker_busy_seconds_total", { pool: "cpu", instance: "a" });
    const cap = add("worker_pool_threads", { pool: "io" });
    const m = mapping({ id: "io", kind: "pool", services: ["checkout"], usageMetric: "worker_busy_seconds_total", usageLabels: { pool: "io" }, capacityMetric: "worker_pool_threads", capacityLabels: { pool: "io" } });
    const [p] = planResources({ series, services: ["checkout"], mappings: [m] });
    expect(p.instances).toEqual([
      { instance: "a", usage: { keys: [a.key], read: "rate" }, capacity: { keys: [cap.key], read: "gauge" } },
      { instance: "b", usage: { keys: [b.key], read: "rate" }, capacity: { keys: [cap.key], read: "gauge" } },
    ]);
  });

  it("adds a mapping of another kind or other services without replacing anything", () => {
    const { series, add } = catalog();
    add("process_cpu_seconds_total", { job: "checkout", instance: "a" });
    add("node_cpu_seconds_total", { cpu: "0", mode: "user", instance: "n1" });
    const m = mapping({ id: "redis", kind: "memory", services: ["checkout"], usageMetric: "redis_memory_used_bytes" });
    const other = mapping({ id: "cpu2", kind: "cpu", services: ["payments"], usageMetric: "x_cpu" });
    const ids = planResources({ series, services: ["checkout", "payments"], mappings: [m, other] }).map((p) => p.id);
    expect(ids).toEqual(["cpu:checkout", "cpu:host:n1", "mapping:redis", "mapping:cpu2"]);
  });
});

describe("measureResources", () => {
  const measure = (p: ResourcePlan, stats: Record<number, MinuteStat[]>) =>
    measureResources([p], new Map(Object.entries(stats).map(([k, v]) => [Number(k), v])), WINDOW)[0];

  it("averages utilization across instances and tracks the busiest: 0.9 and 0.5 cores of 1", () => {
    const { series, add } = catalog();
    const a = add("process_cpu_seconds_total", { job: "checkout", instance: "a" });
    const la = add("process_cpu_limit_cores", { job: "checkout", instance: "a" });
    const b = add("process_cpu_seconds_total", { job: "checkout", instance: "b" });
    const lb = add("process_cpu_limit_cores", { job: "checkout", instance: "b" });
    const [p] = planResources({ series, services: ["checkout"], mappings: [] });
    const m = measure(p, { [a.key]: minutes(constant(0.9)), [b.key]: minutes(constant(0.5)), [la.key]: minutes(constant(1)), [lb.key]: minutes(constant(1)) });
    expect(m.instances).toBe(2);
    expect(m.utilization).toHaveLength(10);
    for (const pt of m.utilization!) expect(pt.v).toBeCloseTo(0.7, 12);
    for (const pt of m.maxUtilization!) expect(pt.v).toBeCloseTo(0.9, 12);
    expect(m.usage[0]).toEqual({ t: T0, v: 1.4 });
    expect(m.capacity![0]).toEqual({ t: T0, v: 2 });
    expect(m.current).toBeCloseTo(0.7, 12);
    expect(m.peak).toBeCloseTo(0.7, 12);
    expect(m.usagePerInstance.sort()).toEqual([...constant(0.5), ...constant(0.9)]);
  });

  it("measures a 4-CPU host with an idle rate of 1 core as 3 cores, 75 %", () => {
    const { series, add } = catalog();
    const stats: Record<number, MinuteStat[]> = {};
    for (const cpu of ["0", "1", "2", "3"]) {
      for (const [mode, rate] of [["idle", 0.25], ["user", 0.5], ["system", 0.2], ["iowait", 0.05]] as const) {
        stats[add("node_cpu_seconds_total", { cpu, mode, instance: "n1" }).key] = minutes([undefined, ...constant(rate, 5)]);
      }
    }
    const [p] = planResources({ series, services: [], mappings: [] });
    const m = measure(p, stats);
    expect(m.usage).toHaveLength(5);
    expect(m.usage[0].v).toBeCloseTo(3, 12);
    expect(m.capacity![0].v).toBe(4);
    expect(m.current).toBeCloseTo(0.75, 12);
  });

  it("measures host memory as total − available", () => {
    const { series, add } = catalog();
    const total = add("node_memory_MemTotal_bytes", { instance: "n1" });
    const avail = add("node_memory_MemAvailable_bytes", { instance: "n1" });
    const [p] = planResources({ series, services: [], mappings: [] });
    const m = measure(p, { [total.key]: minutes(constant(16e9, 3)), [avail.key]: minutes([4e9, undefined, 8e9]) });
    expect(m.usage).toEqual([{ t: T0, v: 12e9 }, { t: T0 + 2 * MIN, v: 8e9 }]);
    expect(m.utilization!.map((pt) => pt.v)).toEqual([0.75, 0.5]);
  });

  it("turns a CFS quota and period into cores", () => {
    const { series, add } = catalog();
    const labels = { namespace: "shop", pod: "checkout-0", container: "checkout" };
    const usage = add("container_cpu_usage_seconds_total", labels);
    const quota = add("container_spec_cpu_quota", labels);
    const period = add("container_spec_cpu_period", labels);
    const [p] = planResources({ series, services: ["checkout"], mappings: [] });
    const m = measure(p, { [usage.key]: minutes([0.75]), [quota.key]: minutes([150_000]), [period.key]: minutes([100_000]) });
    expect(m.capacity).toEqual([{ t: T0, v: 1.5 }]);
    expect(m.utilization).toEqual([{ t: T0, v: 0.5 }]);
  });

  it("reads a postgres server at 90 of 100 connections as 0.9", () => {
    const { series, add } = catalog();
    const active = add("pg_stat_activity_count", { datname: "shop", state: "active", instance: "pg", job: "postgres" });
    const idle = add("pg_stat_activity_count", { datname: "shop", state: "idle", instance: "pg", job: "postgres" });
    const max = add("pg_settings_max_connections", { instance: "pg", job: "postgres" });
    const [p] = planResources({ series, services: [], mappings: [] });
    const m = measure(p, { [active.key]: minutes(constant(60, 3)), [idle.key]: minutes(constant(30, 3)), [max.key]: minutes(constant(100, 3)) });
    expect(m.utilization!.map((pt) => pt.v)).toEqual([0.9, 0.9, 0.9]);
    expect(m.p95).toBeCloseTo(0.9, 12);
  });

  it("measures a queue growing 10 items/s with its recent rates and workers", () => {
    const { series, add } = catalog();
    const depth = add("jobs_queue_depth", { job: "checkout", instance: "a" });
    const arrivals = add("jobs_enqueued_total", { job: "checkout", instance: "a" });
    const done = add("jobs_processed_total", { job: "checkout", instance: "a" });
    const workers = add("jobs_workers", { job: "checkout", instance: "a" });
    const [p] = planResources({ series, services: ["checkout"], mappings: [] });
    const m = measure(p, {
      [depth.key]: minutes(Array.from({ length: 10 }, (_, i) => 100 + 600 * i)),
      [arrivals.key]: minutes([undefined, 1, 1, 1, 1, 1, 40, 40, 40, 40, 40]),
      [done.key]: minutes([undefined, ...constant(30, 9)]),
      [workers.key]: minutes([3, 3, 4]),
    });
    expect(m.utilization).toBeUndefined();
    expect(m.queue!.depth).toBe(100 + 600 * 9);
    expect(m.queue!.growthPerS).toBeCloseTo(10, 9);
    expect(m.queue!.arrivalPerS).toBe(40);
    expect(m.queue!.completionPerS).toBe(30);
    expect(m.queue!.workers).toBe(4);
  });

  it("reports current as the last 5 minutes' mean, with p95 and peak over the window", () => {
    const { series, add } = catalog();
    const a = add("process_resident_memory_bytes", { job: "checkout", instance: "a" });
    const limit = add("process_memory_limit_bytes", { job: "checkout", instance: "a" });
    const [p] = planResources({ series, services: ["checkout"], mappings: [] });
    const m = measure(p, { [a.key]: minutes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), [limit.key]: minutes(constant(10)) });
    expect(m.current).toBeCloseTo(0.8, 12);
    expect(m.p95).toBeCloseTo(0.955, 12);
    expect(m.peak).toBe(1);
  });

  it("skips a counter's minute without a rate (its first) even though the minute has samples", () => {
    const { series, add } = catalog();
    const a = add("process_cpu_seconds_total", { job: "checkout", instance: "a" });
    const [p] = planResources({ series, services: ["checkout"], mappings: [] });
    const stats = minutes([0.5, 0.5, 0.5]).map((s, i) => (i === 0 ? { ...s, avg: 1000, rate: undefined } : s));
    const m = measure(p, { [a.key]: stats });
    expect(m.usage).toEqual([{ t: T0 + MIN, v: 0.5 }, { t: T0 + 2 * MIN, v: 0.5 }]);
    expect(m.usagePerInstance).toEqual([0.5, 0.5]);
  });

  it("skips missing minutes instead of reading them as 0", () => {
    const { series, add } = catalog();
    const a = add("process_cpu_seconds_total", { job: "checkout", instance: "a" });
    const b = add("process_cpu_seconds_total", { job: "checkout", instance: "b" });
    const [p] = planResources({ series, services: ["checkout"], mappings: [mapping({ id: "x", kind: "cpu", usageMetric: "process_cpu_seconds_total", capacityConstant: 1 })] });
    const m = measure(p, { [a.key]: minutes([undefined, 0.8, 0.8, 0.8, 0.8]), [b.key]: minutes([undefined, 0.4, 0.4]) });
    expect(m.usage.map((pt) => pt.t)).toEqual([1, 2, 3, 4].map((i) => T0 + i * MIN));
    const expected = [0.6, 0.6, 0.8, 0.8];
    m.utilization!.forEach((pt, i) => expect(pt.v).toBeCloseTo(expected[i], 12));
    expect(m.utilization).toHaveLength(4);
    expect(m.maxUtilization!.map((pt) => pt.v)).toEqual([0.8, 0.8, 0.8, 0.8]);
    expect(m.current).toBeCloseTo(0.7, 12);
  });

  it("charts usage of a service without capacity, with no utilization", () => {
    const { series, add } = catalog();
    const a = add("process_resident_memory_bytes", { job: "checkout", instance: "a" });
    const [p] = planResources({ series, services: ["checkout"], mappings: [] });
    const m = measure(p, { [a.key]: minutes([100, 200]) });
    expect(m.usage.map((pt) => pt.v)).toEqual([100, 200]);
    expect(m.utilization).toBeUndefined();
    expect(m.capacity).toBeUndefined();
    expect(m.current).toBeUndefined();
    expect(m.usagePerInstance).toEqual([100, 200]);
  });

  it("treats a memory limit of 0 as unlimited", () => {
    const { series, add } = catalog();
    const labels = { namespace: "shop", pod: "checkout-0", container: "checkout" };
    const ws = add("container_memory_working_set_bytes", labels);
    const limit = add("container_spec_memory_limit_bytes", labels);
    const [p] = planResources({ series, services: ["checkout"], mappings: [] });
    const m = measure(p, { [ws.key]: minutes([5e8, 6e8]), [limit.key]: minutes([0, 0]) });
    expect(m.utilization).toEqual([]);
    expect(m.capacity).toEqual([]);
    expect(m.current).toBeUndefined();
    expect(m.usage).toHaveLength(2);
  });

  it("keeps to the window and counts only instances reporting in it", () => {
    const { series, add } = catalog();
    const a = add("process_cpu_seconds_total", { job: "checkout", instance: "a" });
    const b = add("process_cpu_seconds_total", { job: "checkout", instance: "b" });
    const [p] = planResources({ series, services: ["checkout"], mappings: [] });
    const m = measure(p, { [a.key]: minutes([0.1, 0.2], -1).concat(minutes([0.3], 60)), [b.key]: minutes([0.5], -5) });
    expect(m.instances).toBe(1);
    expect(m.usage).toEqual([{ t: T0, v: 0.2 }]);
  });
});
