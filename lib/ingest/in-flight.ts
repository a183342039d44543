import type { ServerResponse } from "node:http";
import { QueueFullError } from "./queue";

/**
 * Bounds the ingest requests being read and decoded at once. Past the queue's own check, each
 * such request holds its body and its decoded records in memory; a burst of clients would
 * otherwise all pass that check together and hold them all before the queue refuses any.
 */
export class InFlightLimit {
  private count = 0;

  constructor(readonly max: number, private readonly retryAfterSeconds: number) {}

  /** Counts the request until its response is done; throws QueueFullError (a 429) when `max` are in flight. */
  enter(res: ServerResponse): void {
    if (this.count >= this.max) throw new QueueFullError(this.retryAfterSeconds, `${this.max} ingest requests are already in flight`);
    this.count++;
    res.once("close", () => this.count--);
  }
}
