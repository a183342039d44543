/**
 * snappyDecompress against data compressed by independent implementations: snappyjs (devDependency)
 * and Prometheus 2.42 itself (the remote_write bodies in fixtures/, Go's github.com/golang/snappy).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { SnappyError, snappyDecompress } from "./snappy";

const snappyjs = createRequire(import.meta.url)("snappyjs") as {
  compress(input: Uint8Array): Uint8Array;
  uncompress(input: Uint8Array): Uint8Array;
};
const MB = 1 << 20;

function expectSnappyError(input: number[] | Uint8Array, message: string, max = MB): SnappyError {
  let error: unknown;
  try {
    snappyDecompress(Uint8Array.from(input), max);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SnappyError);
  expect((error as Error).message).toBe(message);
  return error as SnappyError;
}

function withRepeat(): Uint8Array {
  const block = randomBytes(40_000);
  return Buffer.concat([block, randomBytes(100), block.subarray(0, 5000)]);
}

describe("snappyDecompress: round trips through snappyjs", () => {
  const text = "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 12345.67\n".repeat(200);
  const cases: [string, Uint8Array][] = [
    ["empty", new Uint8Array(0)],
    ["one byte", Uint8Array.of(42)],
    ["repetitive text (overlapping copies)", Buffer.from(text)],
    ["one byte repeated (offset 1 copies)", new Uint8Array(100_000).fill(7)],
    ["random 59 / 60 / 61 / 300 / 70,000 bytes (every literal length encoding)", Buffer.concat([59, 60, 61, 300, 70_000].map((n) => randomBytes(n)))],
    ["random with a repeat 40 kB back (2-byte offsets)", withRepeat()],
  ];
  it.each(cases)("%s", (_name, input) => {
    const compressed = snappyjs.compress(input);
    expect(Buffer.from(snappyDecompress(compressed, input.length))).toEqual(Buffer.from(input));
  });
});

describe("snappyDecompress: Prometheus remote_write bodies", () => {
  it.each(["remote-write-1.bin", "remote-write-2.bin", "remote-write-metadata.bin"])("%s decompresses as snappyjs does", (name) => {
    const body = readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
    const ours = snappyDecompress(body, 16 * MB);
    expect(ours.length).toBeGreaterThan(body.length);
    expect(Buffer.from(ours)).toEqual(Buffer.from(snappyjs.uncompress(body)));
  });
});

describe("snappyDecompress: hand-made elements", () => {
  it("reads copies with 1-, 2- and 4-byte offsets", () => {
    // "abcd", then copy1 (len 4, offset 4), copy2 (len 2, offset 8), copy4 (len 3, offset 1)
    const input = [13, 0x0c, 97, 98, 99, 100, 0x01, 4, 0x06, 8, 0, 0x0b, 1, 0, 0, 0];
    expect(Buffer.from(snappyDecompress(Uint8Array.from(input), 100)).toString()).toBe("abcdabcdabbbb");
  });
});

describe("snappyDecompress: malformed input and limits", () => {
  it("refuses a declared length over the limit before allocating (decompression bomb)", () => {
    const bomb = [0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x41]; // declares 4 GiB - 1
    const error = expectSnappyError(bomb, "uncompressed length 4294967295 exceeds the limit of 1048576 bytes");
    expect(error.tooLarge).toBe(true);
    // a real compressed body that expands past the limit is refused the same way
    const big = snappyjs.compress(new Uint8Array(2 * MB));
    expect(big.length).toBeLessThan(200_000);
    expect(expectSnappyError(big, "uncompressed length 2097152 exceeds the limit of 1048576 bytes").tooLarge).toBe(true);
  });

  it.each([
    ["empty input", [], "truncated length header"],
    ["unterminated length varint", [0x80, 0x80], "truncated length header"],
    ["length over 32 bits", [0xff, 0xff, 0xff, 0xff, 0x1f], "uncompressed length does not fit in 32 bits"],
    ["literal past the input end", [5, 0x10, 97, 98], "literal of 5 bytes runs past the end of the input at byte 2"],
    ["literal past the declared length", [2, 0x08, 97, 98, 99], "literal of 3 bytes runs past the declared length 2"],
    ["truncated literal length bytes", [100, 0xf0], "truncated literal length at byte 2"],
    ["copy before any output", [4, 0x01, 1], "copy offset 1 is outside the 0 bytes written (at input byte 3)"],
    ["copy with offset 0", [5, 0x00, 97, 0x01, 0], "copy offset 0 is outside the 1 bytes written (at input byte 5)"],
    ["copy past the declared length", [3, 0x00, 97, 0x01, 1], "copy of 4 bytes runs past the declared length 3"],
    ["truncated copy", [5, 0x00, 97, 0x02, 1], "truncated copy at byte 3"],
    ["output shorter than declared", [3, 0x00, 97], "decompressed 1 bytes, the header declared 3"],
  ])("%s", (_name, input, message) => {
    expect(expectSnappyError(input as number[], message).tooLarge).toBe(false);
  });
});
