import type { IncomingMessage, ServerResponse } from "node:http";
import type { Config } from "../../lib/config";
import type { InFlightLimit } from "../../lib/ingest/in-flight";
import type { MetricsIngest } from "../../lib/ingest/metrics-ingest";
import { QueueFullError, StoreWriteError } from "../../lib/ingest/queue";
import { authorised } from "../auth";
import { HttpError, readBody } from "../http-body";
import { RemoteWriteError, decodeWriteRequest } from "./remote-write";
import type { RemoteWriteCatalog } from "./series-catalog";
import { SnappyError, snappyDecompress } from "./snappy";

export type RemoteWriteLimits = Pick<Config, "ingestToken" | "maxBodyBytes" | "maxDecompressedBytes" | "maxAttributeValueLength">;

/**
 * POST /api/v1/write: Prometheus remote_write 1.0. 204 once the samples are committed; 400 for
 * a body that is not a snappy-compressed WriteRequest (Prometheus does not retry a 4xx); 429 or
 * 503 with Retry-After under overload (it retries those).
 */
export async function handleRemoteWrite(req: IncomingMessage, res: ServerResponse, metrics: MetricsIngest, catalog: RemoteWriteCatalog, limits: RemoteWriteLimits,
  inFlight?: InFlightLimit): Promise<void> {
  try {
    if (req.method !== "POST") throw new HttpError(405, "use POST for /api/v1/write", { Allow: "POST" });
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/x-protobuf") throw new HttpError(415, `unsupported Content-Type "${req.headers["content-type"] ?? ""}"; remote_write sends application/x-protobuf`);
    const encoding = (req.headers["content-encoding"] ?? "snappy").trim().toLowerCase();
    if (encoding !== "snappy") throw new HttpError(415, `unsupported Content-Encoding "${encoding}"; remote_write 1.0 bodies are snappy-compressed`);
    if (limits.ingestToken && !authorised(req.headers.authorization, limits.ingestToken)) {
      throw new HttpError(401, "missing or wrong ingest token: set authorization: { credentials: <PINCHPOINT_INGEST_TOKEN> } in remote_write");
    }
    metrics.queue.assertRoom();
    inFlight?.enter(res);
    const raw = await readBody(req, limits.maxBodyBytes);
    const decoded = decodeWriteRequest(snappyDecompress(raw, limits.maxDecompressedBytes), { maxLabelValueLength: limits.maxAttributeValueLength, catalog });
    const result = await metrics.ingest(catalog.identify(decoded.series), decoded.metadata, decoded.stored);
    if (result.droppedSeries > 0) throw new HttpError(400, metrics.limitMessage(result));
    res.writeHead(204);
    res.end();
  } catch (err) {
    const e = asHttpError(err);
    if (e.status >= 500) console.error(`POST /api/v1/write: ${e.message}`);
    res.writeHead(e.status, { "Content-Type": "text/plain; charset=utf-8", ...e.headers });
    res.end(`${e.message}\n`);
  }
}

function asHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof SnappyError) return err.tooLarge ? new HttpError(413, err.message) : new HttpError(400, `body is not valid snappy: ${err.message}`);
  if (err instanceof RemoteWriteError) return new HttpError(400, `malformed remote_write request: ${err.message}`);
  if (err instanceof QueueFullError) return new HttpError(429, err.message, { "Retry-After": String(err.retryAfterSeconds) });
  if (err instanceof StoreWriteError) return new HttpError(503, err.message, { "Retry-After": "5" });
  return new HttpError(500, `internal error: ${(err as Error).message}`);
}
