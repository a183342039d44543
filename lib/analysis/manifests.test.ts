import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cpuQuantity, hpaManifest, kedaScaledObject, memoryQuantity, resourcesPatch, yamlString } from "./manifests";

const MIB = 1024 * 1024;
/** Parse as YAML 1.2 and as 1.1 (what kubectl's go-yaml speaks); both must agree. */
function parseBoth(text: string): unknown {
  const v12 = parse(text);
  expect(parse(text, { version: "1.1" })).toEqual(v12);
  return v12;
}

const AWKWARD = ["yes", "No", "on", "null", "~", "123", "1e3", "0x1F", ".inf", "-web", "a: b", "a #b", "web\napi", 'say "hi"', "café", "", " padded "];

describe("yamlString", () => {
  it("leaves ordinary names plain", () => {
    expect(yamlString("checkout-api")).toBe("checkout-api");
    expect(yamlString("apps/v1")).toBe("apps/v1");
  });

  it("quotes anything a YAML parser could misread, and round-trips it", () => {
    for (const s of AWKWARD) {
      expect(yamlString(s).startsWith('"'), s).toBe(true);
      expect(parseBoth(`k: ${yamlString(s)}\n`)).toEqual({ k: s });
    }
  });
});

describe("hpaManifest", () => {
  it("writes an autoscaling/v2 HPA on CPU utilization, indented by hand exactly", () => {
    const text = hpaManifest({ name: "checkout-api", namespace: "shop", minReplicas: 2, maxReplicas: 12, targetCpuUtilizationPercent: 70 });
    expect(text).toBe(`apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: checkout-api
  namespace: shop
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: checkout-api
  minReplicas: 2
  maxReplicas: 12
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
`);
    expect(parseBoth(text)).toEqual({
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "checkout-api", namespace: "shop" },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "checkout-api" },
        minReplicas: 2,
        maxReplicas: 12,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
      },
    });
  });

  it("omits the namespace when not given and quotes awkward names", () => {
    const doc = parseBoth(hpaManifest({ name: "on", minReplicas: 1, maxReplicas: 3, targetCpuUtilizationPercent: 80 })) as any;
    expect(doc.metadata).toEqual({ name: "on" });
    expect(doc.spec.scaleTargetRef.name).toBe("on");
    for (const name of AWKWARD.filter((s) => s !== "")) {
      const d = parseBoth(hpaManifest({ name, namespace: name, minReplicas: 1, maxReplicas: 3, targetCpuUtilizationPercent: 80 })) as any;
      expect(d.metadata).toEqual({ name, namespace: name });
      expect(d.spec.scaleTargetRef.name).toBe(name);
    }
  });

  it("rejects impossible settings", () => {
    expect(() => hpaManifest({ name: "a", minReplicas: 5, maxReplicas: 2, targetCpuUtilizationPercent: 70 })).toThrow(RangeError);
    expect(() => hpaManifest({ name: "a", minReplicas: 0, maxReplicas: 2, targetCpuUtilizationPercent: 70 })).toThrow(RangeError);
    expect(() => hpaManifest({ name: "a", minReplicas: 1, maxReplicas: 2, targetCpuUtilizationPercent: 0.7 })).toThrow(RangeError);
    expect(() => hpaManifest({ name: "", minReplicas: 1, maxReplicas: 2, targetCpuUtilizationPercent: 70 })).toThrow(RangeError);
  });
});

describe("kedaScaledObject", () => {
  const query = 'sum(rate(http_requests_total{service="checkout", code=~"5.."}[2m])) # not a comment';

  it("writes a ScaledObject with a prometheus trigger whose metadata are strings", () => {
    const text = kedaScaledObject({
      name: "worker", namespace: "jobs", minReplicaCount: 0, maxReplicaCount: 30,
      prometheusServerAddress: "http://prometheus.monitoring.svc:9090", query, threshold: 100,
    });
    expect(parseBoth(text)).toEqual({
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: "worker", namespace: "jobs" },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "worker" },
        minReplicaCount: 0,
        maxReplicaCount: 30,
        triggers: [{
          type: "prometheus",
          metadata: { serverAddress: "http://prometheus.monitoring.svc:9090", query, threshold: "100" },
        }],
      },
    });
    expect(text).toContain('threshold: "100"\n');
  });

  it("keeps a fractional or string threshold as the same string, and quotes awkward names", () => {
    const doc = parseBoth(kedaScaledObject({
      name: "no", minReplicaCount: 1, maxReplicaCount: 2, prometheusServerAddress: "http://p:9090", query: "up", threshold: "2.5",
    })) as any;
    expect(doc.metadata).toEqual({ name: "no" });
    expect(doc.spec.triggers[0].metadata.threshold).toBe("2.5");
    expect(doc.spec.scaleTargetRef.name).toBe("no");
  });

  it("rejects a missing query or a non-positive threshold", () => {
    const base = { name: "w", minReplicaCount: 0, maxReplicaCount: 2, prometheusServerAddress: "http://p:9090", query: "up", threshold: 5 };
    expect(() => kedaScaledObject({ ...base, query: "" })).toThrow(RangeError);
    expect(() => kedaScaledObject({ ...base, threshold: 0 })).toThrow(RangeError);
    expect(() => kedaScaledObject({ ...base, threshold: "lots" })).toThrow(RangeError);
  });
});

describe("resourcesPatch", () => {
  it("writes a strategic merge patch for one container", () => {
    const text = resourcesPatch({ container: "app", cpuRequest: 0.25, memoryRequest: 512 * MIB, memoryLimit: 768 * MIB });
    expect(parseBoth(text)).toEqual({
      spec: { template: { spec: { containers: [{
        name: "app",
        resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "768Mi" } },
      }] } } },
    });
  });

  it("sets, removes or leaves the CPU limit", () => {
    const base = { container: "app", cpuRequest: 0.5, memoryRequest: 300 * MIB, memoryLimit: 300 * MIB };
    const limits = (cpuLimit?: number | null) => (parseBoth(resourcesPatch({ ...base, cpuLimit })) as any).spec.template.spec.containers[0].resources.limits;
    expect(limits(1)).toEqual({ cpu: "1000m", memory: "300Mi" });
    expect(limits(null)).toEqual({ cpu: null, memory: "300Mi" });
    expect(limits(undefined)).toEqual({ memory: "300Mi" });
  });

  it("rounds quantities up to millicores and MiB", () => {
    expect(cpuQuantity(0.23)).toBe("230m");
    expect(cpuQuantity(0.2301)).toBe("231m");
    expect(cpuQuantity(0.23 * 1.0)).toBe("230m");
    expect(memoryQuantity(100 * MIB + 1)).toBe("101Mi");
    expect(memoryQuantity(1)).toBe("1Mi");
  });

  it("quotes an awkward container name", () => {
    const text = resourcesPatch({ container: "yes", cpuRequest: 0.1, memoryRequest: MIB, memoryLimit: MIB });
    expect(text).toContain('- name: "yes"');
    expect((parseBoth(text) as any).spec.template.spec.containers[0].name).toBe("yes");
  });

  it("rejects a limit below its request", () => {
    expect(() => resourcesPatch({ container: "a", cpuRequest: 1, cpuLimit: 0.5, memoryRequest: MIB, memoryLimit: MIB })).toThrow(RangeError);
    expect(() => resourcesPatch({ container: "a", cpuRequest: 1, memoryRequest: 2 * MIB, memoryLimit: MIB })).toThrow(RangeError);
  });
});
