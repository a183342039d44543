import { describe, expect, it } from "vitest";
import { validateResourceMapping } from "./resource-mapping-validation";

describe("validateResourceMapping", () => {
  it("accepts a shared pool with a capacity metric", () => {
    const r = validateResourceMapping({ name: "orders pool", kind: "pool", services: ["orders", "billing", "orders"], usageMetric: "db_pool_active",
      usageLabels: { pool: "main" }, capacityMetric: "db_pool_max" }, []);
    expect(r).toEqual({ ok: true, value: { name: "orders pool", kind: "pool", services: ["orders", "billing"], usageMetric: "db_pool_active",
      usageLabels: { pool: "main" }, capacityMetric: "db_pool_max", capacityLabels: {} } });
  });
  it("takes a constant capacity", () => {
    const r = validateResourceMapping({ name: "cpu", kind: "cpu", services: ["a"], usageMetric: "process_cpu_seconds_total", capacityConstant: "2" }, []);
    expect(r).toMatchObject({ ok: true, value: { capacityConstant: 2 } });
  });
  it("lets a queue go without capacity", () => {
    expect(validateResourceMapping({ name: "q", kind: "queue", services: ["w"], usageMetric: "jobs_waiting" }, []).ok).toBe(true);
  });
  it("says what is wrong", () => {
    const r = validateResourceMapping({ name: "Orders Pool", kind: "disk", services: [], usageMetric: "1x", capacityMetric: "m", capacityConstant: 5 }, ["orders pool"]);
    expect(Object.keys(r.ok ? {} : r.errors).sort()).toEqual(["capacityConstant", "kind", "name", "services", "usageMetric"]);
  });
  it("needs a capacity for a pool", () => {
    const r = validateResourceMapping({ name: "p", kind: "pool", services: ["a"], usageMetric: "x" }, []);
    expect(r.ok ? "" : r.errors.capacityConstant).toMatch(/utilization is usage divided by it/);
  });
});
