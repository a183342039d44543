/**
 * Alert message bodies: a Slack incoming-webhook payload (Block Kit) and a generic webhook JSON
 * body, both built from one AlertMessage.
 */

import type { BurnState, Severity } from "../analysis/slo-types";

export interface AlertMessage {
  event: "firing" | "resolved" | "test";
  sloId: string;
  sloName: string;
  service: string;
  /** Undefined when the SLO covers all of the service's entry operations. */
  operation?: string;
  /** The alert rule's name. */
  rule: string;
  severity: Severity;
  burnRate: number;
  /** The rule's long window, e.g. "1h". */
  window: string;
  /** Fraction of the error budget left; below 0 once overspent. */
  budgetRemaining: number;
  windowDays: number;
  state: BurnState;
  /** A plain-words sentence about the situation, built by the evaluator. */
  description: string;
  timeToExhaustionHours?: number;
  sloUrl: string;
  atMs: number;
}

// Slack's Block Kit limits (https://api.slack.com/reference/block-kit/blocks).
const HEADER_MAX = 150;
const SECTION_TEXT_MAX = 3000;
const FIELD_TEXT_MAX = 2000;
/** Names longer than this are cut so that a field stays readable on a phone. */
const NAME_MAX = 120;

const HEADER_PREFIX: Record<AlertMessage["event"], string> = {
  firing: "🔥 FIRING: ",
  resolved: "✅ RESOLVED: ",
  test: "🧪 Test message from Pinchpoint",
};

/**
 * Cuts text to at most `max` UTF-16 units, ending in "…". Counting units (not code points) is the
 * stricter reading of Slack's limits; cutting between code points keeps emoji whole.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = "";
  for (const char of text) {
    if (kept.length + char.length > max - 1) break;
    kept += char;
  }
  return kept + "…";
}

/** Slack mrkdwn treats &, < and > as control characters. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escapes, then truncates without leaving half an entity such as "&am…". */
function mrkdwn(text: string, max: number): string {
  return truncate(escapeMrkdwn(text), max).replace(/&[a-z]*…$/, "…");
}

export function burnRateText(burnRate: number, window: string): string {
  return `${burnRate < 100 ? burnRate.toFixed(1) : Math.round(burnRate)}× over ${window}`;
}

export function budgetText(budgetRemaining: number, windowDays: number): string {
  const left = `${(budgetRemaining * 100).toFixed(1)}% of ${windowDays} days`;
  return budgetRemaining <= 0 ? `${left} (exhausted)` : left;
}

export function hoursText(hours: number): string {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

function headerText(msg: AlertMessage): string {
  const prefix = HEADER_PREFIX[msg.event];
  return msg.event === "test" ? prefix : prefix + truncate(msg.sloName, HEADER_MAX - prefix.length);
}

function serviceText(msg: AlertMessage): string {
  const service = truncate(msg.service, NAME_MAX);
  return msg.operation ? `${service} · ${truncate(msg.operation, NAME_MAX)}` : `${service} (all entry operations)`;
}

/** A bold label over its value; labels are our own constants, so only the value is escaped. */
function field(label: string, value: string) {
  return { type: "mrkdwn", text: `*${label}*\n${mrkdwn(value, FIELD_TEXT_MAX - label.length - 3)}` };
}

/** What phones and desktop notifications show, where blocks are not rendered. */
function fallbackText(msg: AlertMessage): string {
  const subject = msg.event === "test" ? `${headerText(msg)} for ${msg.sloName}` : headerText(msg);
  return mrkdwn(`${subject} (${msg.state}, burn rate ${burnRateText(msg.burnRate, msg.window)})`, SECTION_TEXT_MAX);
}

/** The Slack incoming-webhook payload: `text` is the notification fallback, `blocks` the message. */
export function slackBody(msg: AlertMessage): object {
  const fields = [
    field("SLO", truncate(msg.sloName, NAME_MAX)),
    field("Service", serviceText(msg)),
    field("Burn rate", burnRateText(msg.burnRate, msg.window)),
    field("Budget left", budgetText(msg.budgetRemaining, msg.windowDays)),
    field("State", msg.state),
    field("Rule", `${truncate(msg.rule, NAME_MAX)} (${msg.severity})`),
  ];
  if (msg.timeToExhaustionHours !== undefined) fields.push(field("Time to exhaustion", hoursText(msg.timeToExhaustionHours)));
  const atSeconds = Math.floor(msg.atMs / 1000);
  return {
    text: fallbackText(msg),
    blocks: [
      { type: "header", text: { type: "plain_text", text: headerText(msg), emoji: true } },
      { type: "section", fields },
      // Slack rejects the whole message over an empty section text.
      ...(msg.description.trim() ? [{ type: "section", text: { type: "mrkdwn", text: mrkdwn(msg.description, SECTION_TEXT_MAX) } }] : []),
      {
        type: "actions",
        elements: [{ type: "button", text: { type: "plain_text", text: "Open SLO" }, url: msg.sloUrl, action_id: "open_slo" }],
      },
      {
        type: "context",
        // Slack renders the date in each reader's time zone; the text after "|" is the fallback.
        elements: [{ type: "mrkdwn", text: `Pinchpoint · <!date^${atSeconds}^{date_short_pretty} {time}|${new Date(msg.atMs).toISOString()}>` }],
      },
    ],
  };
}

/**
 * The generic webhook body, version 1: every AlertMessage field as is (see AlertMessage for their
 * meaning), plus `version` so that receivers can tell formats apart and `at`, the ISO form of atMs.
 */
export interface WebhookPayload extends AlertMessage {
  version: 1;
  at: string;
}

export function webhookBody(msg: AlertMessage): WebhookPayload {
  return { version: 1, ...msg, at: new Date(msg.atMs).toISOString() };
}
