/**
 * Ready-to-apply Kubernetes YAML for a recommendation: an HPA, a KEDA ScaledObject, a resources
 * patch. Written by hand (two-space indentation, block style) so lib/analysis stays free of
 * dependencies; every string that could be misread is double-quoted.
 */

export interface HpaManifestInput {
  /** The Deployment to scale; the HPA gets the same name. */
  name: string;
  namespace?: string;
  minReplicas: number;
  maxReplicas: number;
  /** Target average CPU as a percentage of the pods' CPU request, e.g. 70. */
  targetCpuUtilizationPercent: number;
}

export interface KedaScaledObjectInput {
  /** The Deployment to scale; the ScaledObject gets the same name. */
  name: string;
  namespace?: string;
  /** 0 lets KEDA scale the Deployment to zero when the query is at or below its activation value. */
  minReplicaCount: number;
  maxReplicaCount: number;
  /** e.g. "http://prometheus.monitoring.svc:9090". */
  prometheusServerAddress: string;
  /** PromQL returning one value; KEDA targets `threshold` per replica (an AverageValue metric). */
  query: string;
  threshold: number | string;
}

export interface ResourcesPatchInput {
  container: string;
  /** Cores, e.g. 0.25 → "250m". */
  cpuRequest: number;
  /**
   * Cores. Omitted (undefined): the patch leaves any existing CPU limit alone. Null: the patch
   * removes it (`cpu: null` deletes the key in a strategic merge patch), the usual choice when
   * sizing with `verticalSize`, which recommends no CPU limit.
   */
  cpuLimit?: number | null;
  /** Bytes → whole MiB, rounded up. */
  memoryRequest: number;
  memoryLimit: number;
}

const MIB = 1024 * 1024;

/** YAML 1.1 reads these as booleans or null (kubectl's parser still speaks 1.1). */
const RESERVED_WORDS = new Set(["y", "yes", "n", "no", "true", "false", "on", "off", "null"]);

/**
 * A string as a YAML scalar: plain when it is unmistakably a string (starts with a letter, only
 * letters, digits and . _ / -, not a YAML 1.1 boolean or null), otherwise double-quoted. JSON's
 * string escapes are all valid in YAML's double-quoted style, so JSON.stringify quotes it.
 */
export function yamlString(s: string): string {
  if (/^[A-Za-z][A-Za-z0-9._/-]*$/.test(s) && !RESERVED_WORDS.has(s.toLowerCase())) return s;
  return JSON.stringify(s);
}

function checkName(name: string, what: string): void {
  if (typeof name !== "string" || name.trim() === "") throw new RangeError(`${what} must be a non-empty string`);
}

function checkReplicaRange(min: number, max: number, minAllowed: number): void {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < minAllowed || max < 1 || min > max) {
    throw new RangeError(`need integers ${minAllowed} ≤ min ≤ max, max ≥ 1; got ${min} and ${max}`);
  }
}

function metadata(name: string, namespace: string | undefined): string[] {
  checkName(name, "name");
  const lines = ["metadata:", `  name: ${yamlString(name)}`];
  if (namespace !== undefined) {
    checkName(namespace, "namespace");
    lines.push(`  namespace: ${yamlString(namespace)}`);
  }
  return lines;
}

function scaleTargetRef(name: string): string[] {
  return ["  scaleTargetRef:", "    apiVersion: apps/v1", "    kind: Deployment", `    name: ${yamlString(name)}`];
}

/** An autoscaling/v2 HorizontalPodAutoscaler on average CPU utilization. */
export function hpaManifest(input: HpaManifestInput): string {
  const { name, namespace, minReplicas, maxReplicas, targetCpuUtilizationPercent: target } = input;
  checkReplicaRange(minReplicas, maxReplicas, 1);
  // The API field is an int32 percentage of the request; it may exceed 100.
  if (!Number.isInteger(target) || target < 1) throw new RangeError(`targetCpuUtilizationPercent must be a positive integer, got ${target}`);
  return [
    "apiVersion: autoscaling/v2",
    "kind: HorizontalPodAutoscaler",
    ...metadata(name, namespace),
    "spec:",
    ...scaleTargetRef(name),
    `  minReplicas: ${minReplicas}`,
    `  maxReplicas: ${maxReplicas}`,
    "  metrics:",
    "    - type: Resource",
    "      resource:",
    "        name: cpu",
    "        target:",
    "          type: Utilization",
    `          averageUtilization: ${target}`,
    "",
  ].join("\n");
}

/**
 * A keda.sh/v1alpha1 ScaledObject with one prometheus trigger. KEDA trigger metadata values are
 * strings, so the threshold is always quoted, as are the address and the query.
 */
export function kedaScaledObject(input: KedaScaledObjectInput): string {
  const { name, namespace, minReplicaCount, maxReplicaCount, prometheusServerAddress, query, threshold } = input;
  checkReplicaRange(minReplicaCount, maxReplicaCount, 0);
  checkName(prometheusServerAddress, "prometheusServerAddress");
  checkName(query, "query");
  const t = typeof threshold === "number" ? threshold : Number(threshold);
  if (!(t > 0) || !Number.isFinite(t)) throw new RangeError(`threshold must be a number > 0, got ${threshold}`);
  return [
    "apiVersion: keda.sh/v1alpha1",
    "kind: ScaledObject",
    ...metadata(name, namespace),
    "spec:",
    ...scaleTargetRef(name),
    `  minReplicaCount: ${minReplicaCount}`,
    `  maxReplicaCount: ${maxReplicaCount}`,
    "  triggers:",
    "    - type: prometheus",
    "      metadata:",
    `        serverAddress: ${JSON.stringify(prometheusServerAddress)}`,
    `        query: ${JSON.stringify(query)}`,
    `        threshold: ${JSON.stringify(String(threshold))}`,
    "",
  ].join("\n");
}

/** Cores as a millicore quantity, rounded up ("250m"). */
export function cpuQuantity(cores: number): string {
  if (!(cores > 0) || !Number.isFinite(cores)) throw new RangeError(`CPU must be > 0 cores, got ${cores}`);
  return `${Math.ceil(cores * 1000 - 1e-9)}m`;
}

/** Bytes as a MiB quantity, rounded up ("512Mi"). */
export function memoryQuantity(bytes: number): string {
  if (!(bytes > 0) || !Number.isFinite(bytes)) throw new RangeError(`memory must be > 0 bytes, got ${bytes}`);
  return `${Math.ceil(bytes / MIB - 1e-9)}Mi`;
}

/**
 * A strategic merge patch setting one container's requests and limits, for
 * `kubectl patch deployment NAME --patch-file resources.yaml` (strategic is kubectl's default
 * for Deployments). Containers merge by name, so the other containers are untouched.
 */
export function resourcesPatch(input: ResourcesPatchInput): string {
  const { container, cpuRequest, cpuLimit, memoryRequest, memoryLimit } = input;
  checkName(container, "container");
  // The API server rejects a request above its limit; catch it here.
  if (typeof cpuLimit === "number" && cpuLimit < cpuRequest) throw new RangeError(`cpuLimit ${cpuLimit} is below cpuRequest ${cpuRequest}`);
  if (memoryLimit < memoryRequest) throw new RangeError(`memoryLimit ${memoryLimit} is below memoryRequest ${memoryRequest}`);
  const limits = [];
  if (cpuLimit === null) limits.push("              cpu: null");
  else if (cpuLimit !== undefined) limits.push(`              cpu: ${yamlString(cpuQuantity(cpuLimit))}`);
  limits.push(`              memory: ${yamlString(memoryQuantity(memoryLimit))}`);
  return [
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    `        - name: ${yamlString(container)}`,
    "          resources:",
    "            requests:",
    `              cpu: ${yamlString(cpuQuantity(cpuRequest))}`,
    `              memory: ${yamlString(memoryQuantity(memoryRequest))}`,
    "            limits:",
    ...limits,
    "",
  ].join("\n");
}
