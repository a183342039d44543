import type { SpanRecord } from "../../lib/ingest/span-record";

/** Per-request limits applied while decoding an OTLP trace export request. */
export interface DecodeLimits {
  /** More spans than this in one request → TooManySpansError (HTTP 413). Rejected spans count too. */
  maxSpans: number;
  /**
   * String attribute values (also inside arrays and kvlists, in span, event, link and resource
   * attributes) are cut to at most this many UTF-16 code units (a surrogate pair is never split).
   */
  maxAttributeValueLength: number;
}

export interface DecodeResult {
  /** Accepted spans, in request order. */
  spans: SpanRecord[];
  /** Spans that were well-formed on the wire but invalid (bad ids, end before start). */
  rejectedSpans: number;
  /** Reason for the first rejected span, "" when none was rejected. */
  rejectionMessage: string;
}

/** The request body is malformed: the caller answers 400 with this message. */
export class OtlpDecodeError extends Error {
  readonly httpStatus = 400;
  constructor(message: string) {
    super(message);
    this.name = "OtlpDecodeError";
  }
}

/**
 * The request carries more than `limits.maxSpans` spans: the caller answers 413.
 * Decoding stops as soon as the limit is exceeded; `count` is then the number of spans the request
 * holds as found by a cheap structural count (no decoding), or `limit + 1` when that count could not
 * be made (malformed remainder), in which case `exact` is false.
 */
export class TooManySpansError extends Error {
  readonly httpStatus = 413;
  constructor(
    readonly count: number,
    readonly limit: number,
    readonly exact: boolean,
  ) {
    super(
      exact
        ? `request contains ${count} spans, more than the limit of ${limit} spans per request`
        : `request contains more than ${limit} spans (the limit per request)`,
    );
    this.name = "TooManySpansError";
  }
}
