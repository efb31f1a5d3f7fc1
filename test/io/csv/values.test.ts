/** Byte-level value parsers agree with JavaScript's own parsing, exactly. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNanText, parseBoolBytes, parseDateBytes, parseFloatBytes, parseIntBytes, parseTimestampBytes } from '../../../io/csv/values.js';
import { formatDate, formatTimestamp } from '../../../io/sinks/csv.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');
const float = (s: string) => { const b = bytes(s); return parseFloatBytes(b, 0, b.length); };
const int = (s: string) => { const b = bytes(s); return parseIntBytes(b, 0, b.length); };

describe('numbers', () => {
  it('floats equal Number(text) for the shortest form of any double', () => {
    fc.assert(fc.property(fc.double({ noNaN: true }), (v) => {
      const text = Object.is(v, -0) ? '-0' : String(v); // String() drops the sign of -0
      expect(Object.is(float(text), v)).toBe(true);
    }), { numRuns: 3000 });
  });

  it('floats equal Number(text) for arbitrary decimal spellings', () => {
    const digits = fc.stringMatching(/^[0-9]{0,22}$/);
    fc.assert(fc.property(fc.constantFrom('', '-', '+'), digits, fc.option(digits), fc.option(fc.integer({ min: -340, max: 340 })), (sign, a, b, e) => {
      const text = `${sign}${a}${b !== null ? `.${b}` : ''}${e !== null ? `e${e}` : ''}`;
      const want = a === '' && (b === null || b === '') ? NaN : Number(text);
      const got = float(text);
      expect(Object.is(got, want), text).toBe(true);
    }), { numRuns: 3000 });
  });

  it('float spellings: spaces, case, nan and infinities; junk is NaN', () => {
    expect(float(' 1.5 ')).toBe(1.5);
    expect(float('1E3')).toBe(1000);
    expect(float('.5')).toBe(0.5);
    expect(float('5.')).toBe(5);
    expect(float('-inf')).toBe(-Infinity);
    expect(float('Infinity')).toBe(Infinity);
    expect(float('NaN')).toBeNaN();
    expect(isNanText(bytes('NaN'), 0, 3)).toBe(true);
    for (const bad of ['', '-', '.', 'e5', '1e', '1.2.3', '0x10', '1_000', '1,5', '1 2', 'abc']) expect(float(bad), bad).toBeNaN();
  });

  it('integers, with the nearest double beyond 2^53', () => {
    expect(int('0')).toBe(0);
    expect(int('-42')).toBe(-42);
    expect(int('+7')).toBe(7);
    expect(int(' 12 ')).toBe(12);
    expect(int('9007199254740993')).toBe(9007199254740992);
    expect(int('-123456789012345678')).toBe(-123456789012345678);
    for (const bad of ['', '-', '1.0', '1e3', 'x', '12a', '--1']) expect(int(bad), bad).toBeNaN();
    fc.assert(fc.property(fc.maxSafeInteger(), (v) => { expect(int(String(v))).toBe(v); }));
  });

  it('bools', () => {
    const b = (s: string, loose = false) => parseBoolBytes(bytes(s), 0, s.length, loose);
    expect([b('true'), b('FALSE'), b('True'), b('t'), b('1')]).toEqual([1, 0, 1, -1, -1]);
    expect([b('t', true), b('0', true), b('yes', true), b('N', true), b('maybe', true)]).toEqual([1, 0, 1, 0, -1]);
  });
});

describe('dates and timestamps', () => {
  it('dates round-trip through the sink format and agree with Date.UTC', () => {
    fc.assert(fc.property(fc.integer({ min: -719162, max: 2932896 }), (days) => {
      const s = formatDate(days);
      expect(parseDateBytes(bytes(s), 0, s.length)).toBe(days);
      expect(Date.parse(`${s}T00:00:00Z`) / 86400e3).toBe(days);
    }), { numRuns: 2000 });
    for (const bad of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-1-01', '20240101', '2024-01-0x']) {
      expect(parseDateBytes(bytes(bad), 0, bad.length), bad).toBeNaN();
    }
    expect(parseDateBytes(bytes('2000-02-29'), 0, 10)).toBe(11016);
  });

  it('timestamps round-trip with microseconds and agree with Date.parse', () => {
    // microseconds are exact in a double only within ±2^53 (about years 1685..2255)
    const safeMs = Math.floor(Number.MAX_SAFE_INTEGER / 1000) - 1;
    fc.assert(fc.property(fc.integer({ min: -safeMs, max: safeMs }), fc.integer({ min: 0, max: 999 }), (ms, us) => {
      const micros = ms * 1000 + us;
      const s = formatTimestamp(micros);
      expect(parseTimestampBytes(bytes(s), 0, s.length, false)).toBe(micros);
    }), { numRuns: 2000 });
    fc.assert(fc.property(fc.integer({ min: -62135596800000, max: 253402300799999 }), (ms) => {
      const iso = new Date(ms).toISOString();
      expect(parseTimestampBytes(bytes(iso), 0, iso.length, false)).toBe(ms * 1000);
    }), { numRuns: 2000 });
    const ts = (s: string) => parseTimestampBytes(bytes(s), 0, s.length, true);
    expect(ts('2024-01-01T10:00:00+01:30')).toBe(Date.parse('2024-01-01T08:30:00Z') * 1000);
    expect(ts('2024-01-01 10:00:00.123456789')).toBe(Date.parse('2024-01-01T10:00:00Z') * 1000 + 123456);
    expect(ts('2024-01-01')).toBe(Date.parse('2024-01-01T00:00:00Z') * 1000);
    for (const bad of ['2024-01-01 25:00:00', '2024-01-01T10', '2024-01-01 10:00:00.', '2024-01-01 10:00:00 Z', '2024-01-01x10:00']) expect(ts(bad), bad).toBeNaN();
  });
});
