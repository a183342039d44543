import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** True when the module at `moduleUrl` (its import.meta.url) is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  try {
    return !!process.argv[1] && resolve(process.argv[1]) === fileURLToPath(moduleUrl);
  } catch {
    return false;
  }
}
