import { describe, expect, it } from "vitest";
import { OtlpDecodeError } from "./decode-types";
import { ProtoReader, messageFields, WIRE_LEN, WIRE_VARINT } from "./proto-reader";
import { Pb, varintBytes } from "./otlp-test-support";

const reader = (bytes: number[] | Uint8Array) => new ProtoReader(Uint8Array.from(bytes));

const FIELDS = messageFields("Thing", { 1: ["name", WIRE_LEN], 2: ["count", WIRE_VARINT] });

describe("ProtoReader varints", () => {
  it.each([
    [0n, 0, 0],
    [1n, 1, 0],
    [127n, 127, 0],
    [128n, 128, 0],
    [300n, 300, 0],
    [0x7fffffffn, 0x7fffffff, 0],
    [0xffffffffn, 0xffffffff, 0],
    [0x100000000n, 0, 1],
    [2n ** 53n + 1n, 1, 0x200000],
    [0x123456789abcdef0n, 0x9abcdef0, 0x12345678],
    [2n ** 64n - 1n, 0xffffffff, 0xffffffff],
  ])("reads %s as lo/hi halves", (value, lo, hi) => {
    const r = reader(varintBytes(value));
    r.varint64();
    expect(r.lo).toBe(lo);
    expect(r.hi).toBe(hi);
    expect(r.pos).toBe(varintBytes(value).length);
  });

  it("reads a negative int32 (10-byte varint) and truncates wide values like protobuf does", () => {
    expect(reader(varintBytes(-1)).int32()).toBe(-1);
    expect(reader(varintBytes(-2147483648)).int32()).toBe(-2147483648);
    expect(reader(varintBytes(0x1_0000_0005n)).int32()).toBe(5);
    expect(reader([5]).int32()).toBe(5);
  });

  it("accepts non-canonical (padded) varints", () => {
    const r = reader([0x81, 0x80, 0x80, 0x00]);
    r.varint64();
    expect(r.lo).toBe(1);
    expect(r.pos).toBe(4);
  });

  it("rejects a varint longer than 64 bits", () => {
    const r = reader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]);
    expect(() => r.varint64()).toThrowError(new OtlpDecodeError("varint longer than 64 bits at byte 0"));
    const r2 = reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(() => r2.varint64()).toThrowError("varint longer than 64 bits at byte 0");
  });

  it("rejects a truncated varint, also one cut by the message end", () => {
    expect(() => reader([0x80, 0x80]).varint64()).toThrowError("truncated varint at byte 0");
    const r = reader([0x80, 0x80, 0x01]);
    r.end = 2;
    expect(() => r.varint64()).toThrowError("truncated varint at byte 0");
  });
});

describe("ProtoReader fixed-width and length-delimited", () => {
  it("reads fixed32, fixed64 and double little-endian", () => {
    const b = new Pb().fixed32(1, 0xdeadbeef).fixed64(2, 0x0102030405060708n).double(3, -1.5).bytes();
    const r = new ProtoReader(b);
    expect(r.tag()).toBe(13);
    expect(r.fixed32()).toBe(0xdeadbeef);
    expect(r.tag()).toBe(17);
    r.fixed64();
    expect([r.lo, r.hi]).toEqual([0x05060708, 0x01020304]);
    expect(r.tag()).toBe(25);
    expect(r.double()).toBe(-1.5);
    expect(r.pos).toBe(b.length);
  });

  it("rejects truncated fixed values", () => {
    expect(() => reader([1, 2, 3]).fixed32()).toThrowError("truncated fixed32 at byte 0");
    expect(() => reader([1, 2, 3, 4, 5, 6, 7]).fixed64()).toThrowError("truncated fixed64 at byte 0");
    expect(() => reader([1, 2, 3, 4, 5, 6, 7]).double()).toThrowError("truncated double at byte 0");
  });

  it("checks lengths against the end of the enclosing message", () => {
    expect(reader([3, 1, 2, 3]).len()).toBe(3);
    expect(() => reader([4, 1, 2, 3]).len()).toThrowError("length 4 runs past the end of the enclosing message (3 bytes left) at byte 0");
    const r = reader([2, 1, 2, 3, 4]);
    r.end = 2;
    expect(() => r.len()).toThrowError("length 2 runs past the end of the enclosing message (1 bytes left) at byte 0");
    expect(() => reader([...varintBytes(2n ** 40n), 0]).len()).toThrowError("length 1099511627776 is too large at byte 0");
  });
});

describe("ProtoReader skipping", () => {
  it("skips unknown fields of every wire type, groups (nested) included", () => {
    const group = new Pb().tag(9, 3).varint(1, 5).tag(10, 3).string(2, "x").tag(10, 4).fixed32(3, 1).tag(9, 4);
    const b = new Pb().varint(20, 2n ** 63n).fixed64(21, 1).string(22, "skip me").fixed32(23, 7).raw(group.parts).string(1, "kept").bytes();
    const r = new ProtoReader(b);
    let name = "";
    while (r.pos < r.end) {
      const t = r.tag();
      if (t === 10) {
        const n = r.len();
        name = Buffer.from(b.subarray(r.pos, r.pos + n)).toString();
        r.pos += n;
      } else {
        r.skip(t, FIELDS);
      }
    }
    expect(name).toBe("kept");
  });

  it("fails on a known field with the wrong wire type, naming message and field", () => {
    const r = new ProtoReader(new Pb().varint(1, 3).bytes());
    const t = r.tag();
    expect(() => r.skip(t, FIELDS)).toThrowError("Thing.name (field 1) has wire type varint, expected len at byte 0");
    const r2 = new ProtoReader(new Pb().string(2, "x").bytes());
    expect(() => r2.skip(r2.tag(), FIELDS)).toThrowError("Thing.count (field 2) has wire type len, expected varint at byte 0");
  });

  it("fails on invalid wire types, field number 0 and stray or mismatched end-group tags", () => {
    const skip = (bytes: number[]) => {
      const r = reader(bytes);
      r.skip(r.tag(), FIELDS);
    };
    // field 5 is unknown to FIELDS, so only the wire format itself is judged
    expect(() => skip([0x2e])).toThrowError("invalid wire type 6 (field 5) at byte 0");
    expect(() => skip([0x2f])).toThrowError("invalid wire type 7 (field 5) at byte 0");
    expect(() => skip([0x00, 0x00])).toThrowError("invalid field number 0 at byte 0");
    expect(() => skip([0x2c])).toThrowError("unexpected end-group tag (field 5) at byte 0");
    expect(() => skip([0x2b, 0x08, 0x01, 0x34])).toThrowError("end-group tag for field 6 closes group of field 5 at byte 3");
    expect(() => skip([0x2b, 0x08, 0x01])).toThrowError("unterminated group (field 5) at byte 1");
    // a known field sent as a group is a wire type mismatch
    expect(() => skip([0x0b, 0x0c])).toThrowError("Thing.name (field 1) has wire type start-group, expected len at byte 0");
  });

  it("bounds group nesting", () => {
    const open = Array.from({ length: 40 }, () => 0x2b);
    expect(() => {
      const r = reader(open);
      r.skip(r.tag(), FIELDS);
    }).toThrowError(/groups nested too deeply/);
  });

  it("reads multi-byte tags", () => {
    const r = new ProtoReader(new Pb().fixed32(16, 1).varint(1000, 1).bytes());
    expect(r.tag()).toBe(133);
    r.fixed32();
    expect(r.tag()).toBe(8000);
  });
});
