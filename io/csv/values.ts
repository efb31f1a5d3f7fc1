/**
 * Parsing field bytes into values without building a JS string per field.
 *
 * Every parser takes `buf[s..e)`, ignores surrounding spaces and returns NaN when the bytes
 * are not a value of its type (for floats, NaN is also a legitimate value: callers that get
 * NaN check {@link isNanText}). Floats equal `Number(text)` exactly: the fast path only
 * takes digits that form an integer below 2^53 scaled by a power of ten up to 22, where
 * both are exact doubles and one division or multiplication rounds correctly (Clinger's
 * fast path); everything else goes through Number() on the validated text.
 */

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const SP = 32;

function latin1(buf: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(buf[i]);
  return out;
}

/**
 * An integer (optional sign, decimal digits). Beyond 15 digits the value is the nearest
 * double (exact up to 2^53).
 * @example parseIntBytes(Buffer.from('-42'), 0, 3) // -42
 */
export function parseIntBytes(buf: Uint8Array, s: number, e: number): number {
  while (s < e && buf[s] === SP) s++;
  while (e > s && buf[e - 1] === SP) e--;
  let i = s, neg = false;
  const c = buf[i];
  if (c === 45) { neg = true; i++; } else if (c === 43) i++;
  if (i >= e) return NaN;
  if (e - i > 15) {
    for (let j = i; j < e; j++) if (buf[j] - 48 >>> 0 > 9) return NaN;
    return Number(latin1(buf, s, e));
  }
  let v = 0;
  for (; i < e; i++) {
    const d = buf[i] - 48;
    if (d >>> 0 > 9) return NaN;
    v = v * 10 + d;
  }
  return neg ? 0 - v : v;
}

/**
 * A decimal number: `[+-]digits[.digits][e[+-]digits]`, `.5`, `5.`; NaN/Infinity spellings via {@link isNanText}/{@link infinityOf}.
 * @example parseFloatBytes(Buffer.from('71.540140'), 0, 9) // 71.54014
 */
export function parseFloatBytes(buf: Uint8Array, s: number, e: number): number {
  while (s < e && buf[s] === SP) s++;
  while (e > s && buf[e - 1] === SP) e--;
  let i = s, neg = false;
  let c = buf[i];
  if (c === 45) { neg = true; i++; } else if (c === 43) i++;
  // the digits accumulate exactly while the mantissa stays below 2^53; beyond, Number() decides
  let m = 0, d = 0;
  const i0 = i;
  for (; i < e && (d = buf[i] - 48) >>> 0 <= 9; i++) m = m * 10 + d;
  let digits = i - i0, exp = 0;
  if (i < e && buf[i] === 46) {
    const f0 = ++i;
    for (; i < e && (d = buf[i] - 48) >>> 0 <= 9; i++) m = m * 10 + d;
    exp = f0 - i;
    digits += i - f0;
  }
  if (digits === 0) return s < e ? infinityOf(buf, s, e) : NaN;
  if (i < e && (buf[i] | 32) === 101) {
    i++;
    let eneg = false, ev = 0;
    c = buf[i];
    if (c === 45) { eneg = true; i++; } else if (c === 43) i++;
    const e0 = i;
    for (; i < e && (d = buf[i] - 48) >>> 0 <= 9; i++) if (ev < 100000) ev = ev * 10 + d;
    if (i === e0) return NaN;
    exp += eneg ? -ev : ev;
  }
  if (i !== e) return NaN;
  if (m > 9007199254740991 || exp < -22 || exp > 22) return Number(latin1(buf, s, e));
  const v = exp === 0 ? m : exp < 0 ? m / POW10[-exp] : m * POW10[exp];
  return neg ? -v : v;
}

function lowerEquals(buf: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if ((buf[s + i] | 32) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * ±Infinity for `inf` / `infinity` (any case, optional sign), else NaN.
 * @example infinityOf(Buffer.from('-Inf'), 0, 4) // -Infinity
 */
export function infinityOf(buf: Uint8Array, s: number, e: number): number {
  let neg = false;
  if (buf[s] === 45) { neg = true; s++; } else if (buf[s] === 43) s++;
  if (lowerEquals(buf, s, e, 'inf') || lowerEquals(buf, s, e, 'infinity')) return neg ? -Infinity : Infinity;
  return NaN;
}

/**
 * True for `nan` in any case, with an optional sign and surrounding spaces.
 * @example isNanText(Buffer.from('NaN'), 0, 3) // true
 */
export function isNanText(buf: Uint8Array, s: number, e: number): boolean {
  while (s < e && buf[s] === SP) s++;
  while (e > s && buf[e - 1] === SP) e--;
  if (buf[s] === 45 || buf[s] === 43) s++;
  return lowerEquals(buf, s, e, 'nan');
}

/**
 * 1 for true, 0 for false, -1 otherwise. Strict: `true`/`false` in any case (what inference
 * accepts); loose adds `t`/`f`, `1`/`0`, `yes`/`no`, `y`/`n` (for a column declared bool).
 * @example parseBoolBytes(Buffer.from('TRUE'), 0, 4, false) // 1
 */
export function parseBoolBytes(buf: Uint8Array, s: number, e: number, loose: boolean): number {
  while (s < e && buf[s] === SP) s++;
  while (e > s && buf[e - 1] === SP) e--;
  const n = e - s;
  if (n === 4 && lowerEquals(buf, s, e, 'true')) return 1;
  if (n === 5 && lowerEquals(buf, s, e, 'false')) return 0;
  if (!loose) return -1;
  if (n === 1) {
    const c = buf[s] | 32;
    if (c === 116 || c === 121 || buf[s] === 49) return 1;
    if (c === 102 || c === 110 || buf[s] === 48) return 0;
  }
  if (lowerEquals(buf, s, e, 'yes')) return 1;
  if (lowerEquals(buf, s, e, 'no')) return 0;
  return -1;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date.
 * @example daysFromCivil(2000, 3, 1) // 11017
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function num(buf: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = buf[i + k] - 48;
    if (d >>> 0 > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Days since the epoch of `YYYY-MM-DD` at buf[s..s+10), or NaN. */
function dateAt(buf: Uint8Array, s: number): number {
  const y = num(buf, s, 4), mo = num(buf, s + 5, 2), d = num(buf, s + 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || buf[s + 4] !== 45 || buf[s + 7] !== 45) return NaN;
  const leap = mo === 2 && (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 1 : 0;
  if (d > DAYS_IN_MONTH[mo - 1] + leap) return NaN;
  return daysFromCivil(y, mo, d);
}

/**
 * `YYYY-MM-DD` as days since 1970-01-01, or NaN.
 * @example parseDateBytes(Buffer.from('1970-01-02'), 0, 10) // 1
 */
export function parseDateBytes(buf: Uint8Array, s: number, e: number): number {
  while (s < e && buf[s] === SP) s++;
  while (e > s && buf[e - 1] === SP) e--;
  return e - s === 10 ? dateAt(buf, s) : NaN;
}

/**
 * `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][Z|±HH[:MM]]` as microseconds since the epoch (UTC;
 * an offset is subtracted), or NaN. A bare date is midnight when `dateOnly` is allowed.
 * Fractions beyond microseconds are truncated.
 * @example parseTimestampBytes(Buffer.from('1970-01-01 00:00:01.5'), 0, 21, false) // 1500000
 */
export function parseTimestampBytes(buf: Uint8Array, s: number, e: number, dateOnly: boolean): number {
  while (s < e && buf[s] === SP) s++;
  while (e > s && buf[e - 1] === SP) e--;
  if (e - s < 10) return NaN;
  const days = dateAt(buf, s);
  if (days !== days) return NaN;
  if (e - s === 10) return dateOnly ? days * 86400e6 : NaN;
  let i = s + 10;
  const sep = buf[i];
  if ((sep !== 84 && sep !== 116 && sep !== SP) || e - i < 6) return NaN;
  const h = num(buf, i + 1, 2), mi = num(buf, i + 4, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || buf[i + 3] !== 58) return NaN;
  i += 6;
  let sec = 0, micros = 0;
  if (i < e && buf[i] === 58) {
    sec = e - i >= 3 ? num(buf, i + 1, 2) : -1;
    if (sec < 0 || sec > 59) return NaN;
    i += 3;
    if (i < e && buf[i] === 46) {
      i++;
      let k = 0;
      for (; i < e; i++, k++) {
        const d = buf[i] - 48;
        if (d >>> 0 > 9) break;
        if (k < 6) micros = micros * 10 + d;
      }
      if (k === 0) return NaN;
      for (; k < 6; k++) micros *= 10;
    }
  }
  let offset = 0;
  if (i < e) {
    const c = buf[i];
    if ((c === 90 || c === 122) && i + 1 === e) i++;
    else if (c === 43 || c === 45) {
      const n = e - i - 1;
      const oh = n >= 2 ? num(buf, i + 1, 2) : -1;
      let om = 0;
      if (n === 5 && buf[i + 3] === 58) om = num(buf, i + 4, 2);
      else if (n === 4) om = num(buf, i + 3, 2);
      else if (n !== 2) return NaN;
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
      offset = (c === 45 ? -1 : 1) * (oh * 60 + om) * 60e6;
      i = e;
    } else return NaN;
  }
  if (i !== e) return NaN;
  return days * 86400e6 + ((h * 60 + mi) * 60 + sec) * 1e6 + micros - offset;
}
