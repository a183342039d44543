import { timingSafeEqual } from "node:crypto";

/** True when the Authorization header carries the ingest token (compared in constant time). */
export function authorised(header: string | undefined, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
