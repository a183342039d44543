import { describe, expect, it } from "vitest";
import { turns } from "./turns";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("turns", () => {
  it("runs at most n at once, the others in the order they came, and frees a turn when work fails", async () => {
    const inTurn = turns(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const job = (i: number) => inTurn(async () => {
      running++;
      most = Math.max(most, running);
      order.push(i);
      await tick();
      running--;
      if (i === 1) throw new Error("target down");
      return i;
    });
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map(job));
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    expect(await job(5)).toBe(5); // every turn was given back
  });
});
