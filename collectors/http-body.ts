import type { IncomingMessage } from "node:http";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";

const gunzipAsync = promisify(gunzip);

/** An error that becomes an HTTP response: status, message, and any extra headers. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** Reads a request body, refusing (413) as soon as it is known to exceed `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > maxBytes) return Promise.reject(tooLarge(`body of ${declared} bytes exceeds the ${maxBytes}-byte limit`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners("data");
        req.resume(); // discard the rest so the 413 can still be written
        reject(tooLarge(`body exceeds the ${maxBytes}-byte limit`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.on("error", reject);
  });
}

/** Undoes Content-Encoding (gzip or none), bounding the decompressed size so a gzip bomb is a 413. */
export async function decodeContentEncoding(body: Buffer, encoding: string | undefined, maxDecompressedBytes: number): Promise<Buffer> {
  const enc = (encoding ?? "identity").trim().toLowerCase();
  if (enc === "identity" || enc === "") return body;
  if (enc !== "gzip") throw new HttpError(415, `unsupported Content-Encoding "${encoding}"; send gzip or none`);
  try {
    return await gunzipAsync(body, { maxOutputLength: maxDecompressedBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw tooLarge(`decompressed body exceeds the ${maxDecompressedBytes}-byte limit`);
    }
    throw new HttpError(400, `body is not valid gzip: ${(err as Error).message}`);
  }
}

function tooLarge(message: string): HttpError {
  return new HttpError(413, message);
}
