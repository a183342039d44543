/**
 * At most `n` scrapes at once; the others wait their turn. A scrape's timeout runs from its turn:
 * when the collector itself is the bottleneck, hundreds of scrapes at once would each take longer
 * than their timeout and all fail, where taking them in turn stores as many as it can. (Targets
 * that are down are scraped without a turn: see scrape-manager.)
 */
export function turns(n: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (running >= n) await new Promise<void>((r) => waiting.push(r));
    else running++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
