import type { IncomingMessage, ServerResponse } from "node:http";
import type { Config } from "../../lib/config";
import type { InFlightLimit } from "../../lib/ingest/in-flight";
import { type IngestQueue, QueueFullError, StoreWriteError } from "../../lib/ingest/queue";
import { authorised } from "../auth";
import { HttpError, decodeContentEncoding, readBody } from "../http-body";
import { decodeTracesJson } from "./decode-json";
import { decodeTracesProto } from "./decode-proto";
import { OtlpDecodeError, TooManySpansError } from "./decode-types";
import { type OtlpEncoding, exportResponse, statusBody } from "./responses";

export type TracesLimits = Pick<Config, "ingestToken" | "maxBodyBytes" | "maxDecompressedBytes" | "maxSpansPerRequest" | "maxAttributeValueLength">;

function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  if (type === "application/json") return "json";
  return undefined;
}

/**
 * POST /v1/traces per the OTLP/HTTP spec. 200 means every accepted span is committed to the
 * store; refusals carry a status body saying why, and overload answers carry Retry-After.
 */
export async function handleTraces(req: IncomingMessage, res: ServerResponse, queue: IngestQueue, limits: TracesLimits, inFlight?: InFlightLimit): Promise<void> {
  const encoding = encodingOf(req.headers["content-type"]);
  const reply = (status: number, body: Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "Content-Type": encoding === "protobuf" ? "application/x-protobuf" : "application/json", ...headers });
    res.end(body);
  };
  try {
    if (req.method !== "POST") throw new HttpError(405, "use POST for /v1/traces", { Allow: "POST" });
    if (!encoding) {
      throw new HttpError(415, `unsupported Content-Type "${req.headers["content-type"] ?? ""}"; send application/x-protobuf or application/json`);
    }
    if (limits.ingestToken && !authorised(req.headers.authorization, limits.ingestToken)) {
      throw new HttpError(401, "missing or wrong ingest token: send Authorization: Bearer <PINCHPOINT_INGEST_TOKEN>");
    }
    // Refuse before reading the body: memory stays bounded however fast clients push.
    queue.assertRoom();
    inFlight?.enter(res);
    const raw = await readBody(req, limits.maxBodyBytes);
    const body = await decodeContentEncoding(raw, req.headers["content-encoding"], limits.maxDecompressedBytes);
    const decodeLimits = { maxSpans: limits.maxSpansPerRequest, maxAttributeValueLength: limits.maxAttributeValueLength };
    const decoded = encoding === "protobuf" ? decodeTracesProto(body, decodeLimits) : decodeTracesJson(body.toString("utf8"), decodeLimits);
    await queue.enqueue(decoded.spans);
    reply(200, exportResponse(encoding, decoded.rejectedSpans, decoded.rejectionMessage));
  } catch (err) {
    const e = asHttpError(err);
    if (e.status >= 500) console.error(`POST /v1/traces: ${e.message}`);
    reply(e.status, statusBody(encoding ?? "json", e.status, e.message), e.headers);
  }
}

function asHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof OtlpDecodeError) return new HttpError(400, `malformed OTLP request: ${err.message}`);
  if (err instanceof TooManySpansError) return new HttpError(413, err.message);
  if (err instanceof QueueFullError) return new HttpError(429, err.message, { "Retry-After": String(err.retryAfterSeconds) });
  if (err instanceof StoreWriteError) return new HttpError(503, err.message, { "Retry-After": "5" });
  return new HttpError(500, `internal error: ${(err as Error).message}`);
}
