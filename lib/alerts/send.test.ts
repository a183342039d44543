import { type IncomingHttpHeaders, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, parseRetryAfterMs, postAlert, signBody, verifySignature } from "./send";

interface ReceivedRequest { method?: string; headers: IncomingHttpHeaders; body: string }

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real HTTP receiver on 127.0.0.1 that records requests and answers with `respond`. */
async function receiver(respond: (res: ServerResponse) => void) {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      requests.push({ method: req.method, headers: req.headers, body });
      respond(res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, requests };
}

const answer = (status: number, body = "", headers: Record<string, string> = {}) => (res: ServerResponse) => {
  res.writeHead(status, { "content-type": "text/plain", ...headers });
  res.end(body);
};

const BODY = JSON.stringify({ version: 1, event: "firing", sloName: "checkout availability" });
const NOW_MS = Date.UTC(2026, 10, 25, 19, 0);

describe("postAlert", () => {
  it("delivers on 200 with a JSON POST", async () => {
    const hook = await receiver(answer(200, "ok"));
    const outcome = await postAlert(hook.url, BODY);
    expect(outcome).toMatchObject({ delivered: true, retry: false, statusCode: 200 });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]).toMatchObject({ method: "POST", body: BODY });
    expect(hook.requests[0].headers["content-type"]).toBe("application/json");
    expect(hook.requests[0].headers[TIMESTAMP_HEADER.toLowerCase()]).toBeUndefined();
  });

  it("retries on 429 after Retry-After seconds", async () => {
    const hook = await receiver(answer(429, "rate_limited", { "retry-after": "7" }));
    const outcome = await postAlert(hook.url, BODY);
    expect(outcome).toMatchObject({ delivered: false, retry: true, statusCode: 429, retryAfterMs: 7000 });
    expect(outcome.error).toBe("HTTP 429: rate_limited");
  });

  it("retries on 503, without a Retry-After", async () => {
    const hook = await receiver(answer(503, "down for maintenance"));
    const outcome = await postAlert(hook.url, BODY);
    expect(outcome).toMatchObject({ delivered: false, retry: true, statusCode: 503 });
    expect(outcome.retryAfterMs).toBeUndefined();
  });

  it("retries on 408", async () => {
    const hook = await receiver(answer(408));
    expect(await postAlert(hook.url, BODY)).toMatchObject({ delivered: false, retry: true, statusCode: 408, error: "HTTP 408" });
  });

  it("gives up on 400 and keeps the receiver's reason", async () => {
    const hook = await receiver(answer(400, "invalid_payload"));
    const outcome = await postAlert(hook.url, BODY);
    expect(outcome).toMatchObject({ delivered: false, retry: false, statusCode: 400, error: "HTTP 400: invalid_payload" });
  });

  it("keeps at most 200 characters of an error body", async () => {
    const hook = await receiver(answer(404, "n".repeat(1000)));
    const outcome = await postAlert(hook.url, BODY);
    expect(outcome.retry).toBe(false);
    expect(outcome.error).toBe(`HTTP 404: ${"n".repeat(200)}…`);
  });

  it("retries when the connection is refused", async () => {
    const hook = await receiver(answer(200));
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await postAlert(hook.url, BODY);
    expect(outcome).toMatchObject({ delivered: false, retry: true });
    expect(outcome.statusCode).toBeUndefined();
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });

  it("retries after a timeout when the receiver never answers", async () => {
    const hook = await receiver(() => {});
    const outcome = await postAlert(hook.url, BODY, { timeoutMs: 200 });
    expect(outcome).toMatchObject({ delivered: false, retry: true, error: "timed out after 200 ms" });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(150);
    expect(outcome.durationMs).toBeLessThan(5000);
    expect(hook.requests).toHaveLength(1);
  });

  it("refuses a URL that isn't http(s) without retrying", async () => {
    expect(await postAlert("ftp://example.com/hook", BODY)).toMatchObject({ delivered: false, retry: false });
    expect(await postAlert("not a url", BODY)).toMatchObject({ delivered: false, retry: false });
  });

  it("signs the body so that the receiver can verify it", async () => {
    const hook = await receiver(answer(204));
    const outcome = await postAlert(hook.url, BODY, { secret: "s3cret", nowMs: NOW_MS });
    expect(outcome.delivered).toBe(true);
    const { headers, body } = hook.requests[0];
    const timestamp = headers[TIMESTAMP_HEADER.toLowerCase()] as string;
    const signature = headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(timestamp).toBe(String(NOW_MS / 1000));
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    const nowSeconds = NOW_MS / 1000 + 30;
    expect(verifySignature("s3cret", timestamp, body, signature, nowSeconds)).toBe(true);
    expect(verifySignature("wrong", timestamp, body, signature, nowSeconds)).toBe(false);
    expect(verifySignature("s3cret", timestamp, body + " ", signature, nowSeconds)).toBe(false);
    expect(verifySignature("s3cret", timestamp, body, signature, NOW_MS / 1000 + 301)).toBe(false);
    expect(verifySignature("s3cret", timestamp, body, signature, NOW_MS / 1000 + 3600, 7200)).toBe(true);
  });
});

describe("signBody / verifySignature", () => {
  it("matches a known HMAC-SHA256 value", () => {
    // printf '1700000000.{}' | openssl dgst -sha256 -hmac key
    expect(signBody("key", 1_700_000_000, "{}")).toBe("9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae");
  });

  it("rejects a malformed header or timestamp", () => {
    const signature = `v1=${signBody("key", 100, "{}")}`;
    expect(verifySignature("key", 100, "{}", signature, 100)).toBe(true);
    expect(verifySignature("key", 100, "{}", signature.slice(3), 100)).toBe(false);
    expect(verifySignature("key", 100, "{}", "v1=abc", 100)).toBe(false);
    expect(verifySignature("key", "soon", "{}", signature, 100)).toBe(false);
  });
});

describe("parseRetryAfterMs", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfterMs("120", NOW_MS)).toBe(120_000);
    expect(parseRetryAfterMs(new Date(NOW_MS + 90_000).toUTCString(), NOW_MS)).toBe(90_000);
    expect(parseRetryAfterMs(new Date(NOW_MS - 90_000).toUTCString(), NOW_MS)).toBe(0);
    expect(parseRetryAfterMs("soon", NOW_MS)).toBeUndefined();
    expect(parseRetryAfterMs(null, NOW_MS)).toBeUndefined();
  });
});
