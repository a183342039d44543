import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/** What Prometheus 2.x asks for: OpenMetrics first, the classic text format otherwise. */
const ACCEPT = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
/** As many as Prometheus follows (its HTTP client's limit). */
const MAX_REDIRECTS = 10;

// node:http rather than fetch: a scrape is a plain GET read into one buffer, and fetch's web
// streams and abort signals cost several times as much CPU per request (hundreds a second).
// Connections are kept alive from one scrape of a target to the next, as Prometheus does, however
// many targets share a host (an agent keeps 256 idle sockets per host by default, then reconnects).
const keepAlive = { keepAlive: true, maxFreeSockets: Infinity };
const clients = {
  "http:": { request: httpRequest, agent: new HttpAgent(keepAlive) },
  "https:": { request: httpsRequest, agent: new HttpsAgent(keepAlive) },
} as const;

export interface Exposition { body: Buffer; openMetrics: boolean }

/**
 * GETs an exposition, bounded in time (the whole exchange, redirects included) and size, without
 * asking for compression (a loopback or LAN scrape costs less CPU uncompressed); says whether it is
 * OpenMetrics.
 */
export function fetchExposition(url: string, timeoutMs: number, maxBytes: number): Promise<Exposition> {
  const deadline = Date.now() + timeoutMs;
  const attempt = (at: URL, redirects: number): Promise<Exposition> =>
    get(at, deadline, timeoutMs, maxBytes).then((r) => {
      if (!("location" in r)) return r;
      if (redirects >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
      return attempt(new URL(r.location, at), redirects + 1);
    });
  return attempt(new URL(url), 0);
}

function get(url: URL, deadline: number, timeoutMs: number, maxBytes: number, retried = false): Promise<Exposition | { location: string }> {
  const client = url.protocol === "http:" || url.protocol === "https:" ? clients[url.protocol] : undefined;
  if (!client) return Promise.reject(new Error(`cannot scrape ${url.protocol} URLs, only http: and https:`));
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const req = client.request(url, { headers: { Accept: ACCEPT }, agent: client.agent }, (res) => {
      response = res;
      const failure = refusal(res, url, maxBytes);
      if (failure !== undefined) {
        // Not read: a body refused for its size would otherwise be downloaded to be thrown away.
        res.destroy();
        if (typeof failure === "string") reject(new Error(failure));
        else resolve(failure);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) res.destroy(new Error(`exposition exceeds the ${maxBytes}-byte limit`));
        else chunks.push(chunk);
      });
      res.on("end", () => resolve({ body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), openMetrics: (res.headers["content-type"] ?? "").startsWith("application/openmetrics-text") }));
      res.on("error", reject);
    });
    // Once the response has begun, its errors are the response's.
    const timer = setTimeout(() => (response ?? req).destroy(new Error(`timed out after ${timeoutMs} ms`)), Math.max(0, deadline - Date.now()));
    req.on("error", (err: NodeJS.ErrnoException) => {
      // A kept-alive connection the target closed while it sat idle: asked again on a new one, as
      // Go's client (Prometheus') does for a GET.
      if (!retried && !response && req.reusedSocket && err.code === "ECONNRESET") resolve(get(url, deadline, timeoutMs, maxBytes, true));
      else reject(err);
    });
    req.on("close", () => clearTimeout(timer));
    req.end();
  });
}

/** Why a response cannot be read as an exposition (a message), where it redirects to, or undefined if it can. */
function refusal(res: IncomingMessage, url: URL, maxBytes: number): string | { location: string } | undefined {
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400 && res.headers.location) return { location: res.headers.location };
  if (status < 200 || status >= 300) return `HTTP ${status} from ${url.href}`;
  const declared = Number(res.headers["content-length"]);
  if (declared > maxBytes) return `exposition of ${declared} bytes exceeds the ${maxBytes}-byte limit`;
  if (res.headers["content-encoding"] && res.headers["content-encoding"] !== "identity") return `exposition sent with Content-Encoding ${res.headers["content-encoding"]}, which was not asked for`;
  return undefined;
}
