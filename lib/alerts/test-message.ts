import type { Channel } from "../store/channel-store";
import { slackBody, webhookBody, type AlertMessage } from "./message";
import { postAlert, type SendOutcome } from "./send";

/**
 * Sends a sample alert to a channel straight away (not through the outbox): the person who
 * clicked "Send test" is waiting to see whether it arrived, and why not.
 */
export function sendTestMessage(channel: Channel, publicUrl: string, nowMs = Date.now()): Promise<SendOutcome> {
  const message: AlertMessage = {
    event: "test", sloId: "test", sloName: "Example SLO", service: "example-service", rule: "fast burn 1h/5m", severity: "page",
    burnRate: 14.4, window: "1h", budgetRemaining: 0.62, windowDays: 30, state: "burning fast",
    description: `A test from Pinchpoint to the channel "${channel.name}": real alerts look like this.`,
    timeToExhaustionHours: 31, sloUrl: `${publicUrl.replace(/\/$/, "")}/slos`, atMs: nowMs,
  };
  const body = JSON.stringify(channel.kind === "slack" ? slackBody(message) : webhookBody(message));
  return postAlert(channel.url, body, channel.secret ? { secret: channel.secret, nowMs } : { nowMs });
}
