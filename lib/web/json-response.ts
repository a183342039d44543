import { WindowError } from "../analysis/time-window";

/** Thrown by a route handler for input it cannot take: answered 400 with the message. */
export class BadRequest extends Error {}

/** Route handlers answer bad input with 400 and a message, and anything else with 500. */
export async function jsonOr400(handler: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await handler());
  } catch (err) {
    if (err instanceof WindowError || err instanceof BadRequest) return Response.json({ error: err.message }, { status: 400 });
    console.error(err);
    return Response.json({ error: `internal error: ${(err as Error).message}` }, { status: 500 });
  }
}
