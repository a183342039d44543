import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { InFlightLimit } from "./in-flight";
import { QueueFullError } from "./queue";

const response = () => new EventEmitter() as unknown as ServerResponse;

describe("InFlightLimit", () => {
  it("takes up to max requests, refuses the next with a retryable error, and frees a place when a response closes", () => {
    const limit = new InFlightLimit(2, 3);
    const [a, b] = [response(), response()];
    limit.enter(a);
    limit.enter(b);
    let refused: unknown;
    try { limit.enter(response()); } catch (err) { refused = err; }
    expect(refused).toBeInstanceOf(QueueFullError);
    expect((refused as QueueFullError).retryAfterSeconds).toBe(3);
    expect((refused as Error).message).toBe("2 ingest requests are already in flight; retry after 3 s");
    a.emit("close");
    expect(() => limit.enter(response())).not.toThrow();
  });
});
