import { describe, expect, it } from "vitest";
import { nextAttemptDelayMs } from "./backoff";

describe("nextAttemptDelayMs", () => {
  it("doubles from 1 s after each failed attempt", () => {
    expect([1, 2, 3, 4, 5].map((attempts) => nextAttemptDelayMs(attempts))).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it("caps the backoff at 5 minutes, however many attempts failed", () => {
    expect(nextAttemptDelayMs(9)).toBe(256_000);
    expect(nextAttemptDelayMs(10)).toBe(300_000);
    expect(nextAttemptDelayMs(5000)).toBe(300_000);
  });

  it("treats 0 attempts like the first", () => {
    expect(nextAttemptDelayMs(0)).toBe(1000);
  });

  it("waits as long as Retry-After asks when that is longer", () => {
    expect(nextAttemptDelayMs(1, 7000)).toBe(7000);
    expect(nextAttemptDelayMs(10, 20 * 60_000)).toBe(20 * 60_000);
  });

  it("keeps the backoff when Retry-After asks for less", () => {
    expect(nextAttemptDelayMs(4, 2000)).toBe(8000);
    expect(nextAttemptDelayMs(2, 0)).toBe(2000);
  });

  it("caps Retry-After at 1 hour and ignores a NaN one", () => {
    expect(nextAttemptDelayMs(1, 24 * 3_600_000)).toBe(3_600_000);
    expect(nextAttemptDelayMs(3, Number.NaN)).toBe(4000);
  });
});
