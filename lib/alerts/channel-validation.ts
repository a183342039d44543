import type { NewChannel } from "../store/channel-store";

export type ChannelCheck = { ok: true; value: NewChannel } | { ok: false; errors: Record<string, string> };

/** The rules for an alert channel, with messages in words for the settings form. */
export function validateChannel(input: unknown): ChannelCheck {
  const body = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const name = typeof body.name === "string" ? body.name.trim() : "";
  if (!name) errors.name = "Give the channel a name, e.g. #sre-alerts";
  else if (name.length > 100) errors.name = "Name must be at most 100 characters";
  const kind = body.kind;
  if (kind !== "slack" && kind !== "webhook") errors.kind = 'Kind must be "slack" or "webhook"';
  const url = typeof body.url === "string" ? body.url.trim() : "";
  if (!isHttpUrl(url)) errors.url = "URL must be an http:// or https:// address, e.g. https://hooks.slack.com/services/…";
  const secret = typeof body.secret === "string" && body.secret !== "" ? body.secret : undefined;
  if (body.secret !== undefined && body.secret !== null && typeof body.secret !== "string") errors.secret = "Secret must be text";
  if (secret !== undefined && kind === "slack") errors.secret = "Slack webhooks are not signed: leave the secret empty";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { name, kind: kind as NewChannel["kind"], url, ...(secret ? { secret } : {}) } };
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}
