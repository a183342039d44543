import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { fetchExposition } from "./scrape-http";

let server: Server;
let base: string;
const requests: { url?: string; accept?: string; encoding?: string }[] = [];
const hungUp = new Set<unknown>();

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ url: req.url, accept: req.headers.accept, encoding: req.headers["accept-encoding"] });
    if (req.url === "/moved") return void res.writeHead(301, { Location: "/metrics" }).end();
    if (req.url === "/loop") return void res.writeHead(302, { Location: "/loop" }).end();
    if (req.url === "/om") return void res.writeHead(200, { "Content-Type": "application/openmetrics-text; version=1.0.0" }).end("up 1\n# EOF\n");
    if (req.url === "/hangup" && hungUp.add(req.socket).size === 1) return void req.socket.destroy(); // once, on a reused connection
    if (req.url === "/gzip") return void res.writeHead(200, { "Content-Encoding": "gzip" }).end("not really gzip");
    if (req.url === "/slow") {
      // Headers at once, then the body a line every 50 ms: only a deadline on the whole exchange stops it.
      res.writeHead(200, { "Content-Type": "text/plain" });
      const timer = setInterval(() => res.write("x 1\n"), 50);
      res.on("close", () => clearInterval(timer));
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
    res.write("a 1\n");
    res.end("b 2\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => { server.close(); server.closeAllConnections(); });

describe("fetchExposition", () => {
  it("reads the whole body, asks for OpenMetrics first and for no compression", async () => {
    const r = await fetchExposition(`${base}/metrics`, 2000, 1000);
    expect(r.body.toString()).toBe("a 1\nb 2\n");
    expect(r.openMetrics).toBe(false);
    expect(requests.at(-1)!.accept).toMatch(/^application\/openmetrics-text;version=1\.0\.0,/);
    expect(requests.at(-1)!.encoding).toBeUndefined();
    expect((await fetchExposition(`${base}/om`, 2000, 1000)).openMetrics).toBe(true);
  });

  it("follows redirects, but not forever", async () => {
    expect((await fetchExposition(`${base}/moved`, 2000, 1000)).body.toString()).toBe("a 1\nb 2\n");
    expect(requests.slice(-2).map((r) => r.url)).toEqual(["/moved", "/metrics"]);
    await expect(fetchExposition(`${base}/loop`, 2000, 1000)).rejects.toThrow("more than 10 redirects");
  });

  it("asks again on a new connection when a kept-alive one was closed by the target", async () => {
    await fetchExposition(`${base}/metrics`, 2000, 1000); // leaves an idle kept-alive connection
    expect((await fetchExposition(`${base}/hangup`, 2000, 1000)).body.toString()).toBe("a 1\nb 2\n");
    expect(hungUp.size).toBe(2);
  });

  it("stops a body that arrives too slowly at the deadline, and one that grows past the limit", async () => {
    const started = Date.now();
    await expect(fetchExposition(`${base}/slow`, 300, 1_000_000)).rejects.toThrow("timed out after 300 ms");
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetchExposition(`${base}/slow`, 5000, 10)).rejects.toThrow("exceeds the 10-byte limit");
  });

  it("refuses a compressed body it did not ask for and a URL that is not HTTP", async () => {
    await expect(fetchExposition(`${base}/gzip`, 2000, 1000)).rejects.toThrow("Content-Encoding gzip");
    await expect(fetchExposition("ftp://127.0.0.1/metrics", 2000, 1000)).rejects.toThrow("only http: and https:");
  });
});
