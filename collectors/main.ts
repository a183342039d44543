// The collector process: `node --import tsx collectors/main.ts` (scripts/start.mjs runs it).
import { loadConfig } from "../lib/config";
import { startSelfTelemetry } from "../lib/telemetry";
import { startCollector } from "./collector";

async function main() {
  const config = loadConfig();
  startSelfTelemetry("pinchpoint-collector", config.selfTelemetryEndpoint);
  const collector = await startCollector(config);
  console.log(`pinchpoint collector: OTLP/HTTP on http://${config.listenHost}:${collector.port}/v1/traces`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      collector.stop().then(() => process.exit(0), (err) => {
        console.error(`shutdown: ${(err as Error).message}`);
        process.exit(1);
      });
    });
  }
}

main().catch((err) => {
  console.error(`pinchpoint collector failed to start: ${(err as Error).message}`);
  process.exit(1);
});
