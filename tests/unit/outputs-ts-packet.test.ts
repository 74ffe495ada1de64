// The 33-bit timestamp and PCR fields the segment restamper rewrites.
import { describe, expect, it } from 'vitest';
import {
  readPcr,
  readTimestamp,
  unwrapNear,
  writePcr,
  writeTimestamp,
  wrap33,
} from '../../src-main/core/outputs/ts-packet';

describe('ts-packet', () => {
  it('rewrites timestamps and PCR bit-exactly, wrap-around included', () => {
    const buf = new Uint8Array(6);
    for (const value of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 33 - 1, 8_589_934_000]) {
      buf.fill(0x21);
      writeTimestamp(buf, 0, value);
      expect(readTimestamp(buf, 0)).toBe(value);
      expect(buf[0]! & 0xf0).toBe(0x20);
      writePcr(buf, 0, value, 299);
      expect(readPcr(buf, 0)).toEqual({ base: value, ext: 299 });
    }
    writeTimestamp(buf, 0, 2 ** 33 + 5);
    expect(readTimestamp(buf, 0)).toBe(5);
    expect(wrap33(-1)).toBe(2 ** 33 - 1);
    expect(unwrapNear(5, 2 ** 33 - 10)).toBe(2 ** 33 + 5);
    expect(unwrapNear(2 ** 33 - 10, 5)).toBe(-10);
  });
});
