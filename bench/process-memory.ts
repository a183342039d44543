import { readFileSync } from "node:fs";

/** A process's resident memory now (VmRSS) or at its peak so far (VmHWM), in MB. */
export function rssMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`${field}:\\s+(\\d+) kB`));
  return m ? Number(m[1]) / 1024 : 0;
}
