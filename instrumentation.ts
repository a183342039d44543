// Next.js calls register() once per server process: self-telemetry for the web app, when enabled.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.PINCHPOINT_SELF_TELEMETRY_ENDPOINT) {
    const { startSelfTelemetry } = await import("./lib/telemetry");
    startSelfTelemetry("pinchpoint-web", process.env.PINCHPOINT_SELF_TELEMETRY_ENDPOINT);
  }
}
