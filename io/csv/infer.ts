/**
 * Column types from a sample of rows.
 *
 * Each column keeps the set of types every non-null sample value still fits, tried in the
 * order bool, int64, float64, date, timestamp; the first type left wins, else utf8. A column
 * whose sampled values are all null is utf8. int64 only covers integers within ±2^53, the
 * range a Float64Array holds exactly; larger integers fall through to float64.
 */
import type { DType } from '../../core/types.js';
import { isNullToken, type Dialect } from './dialect.js';
import type { FieldIndex } from './tokenize.js';
import { isNanText, parseBoolBytes, parseDateBytes, parseFloatBytes, parseIntBytes, parseTimestampBytes } from './values.js';

const BOOL = 1, INT = 2, FLOAT = 4, DATE = 8, TS = 16, ALL = 31;

/**
 * Infers one dtype per field from rows tokenized with every field in its own slot.
 * @example inferTypes(buf, tokenize(buf, 0, n, d, 3, identity, 3), d) // ['int64', 'utf8', 'date']
 */
export function inferTypes(buf: Uint8Array, idx: FieldIndex, d: Dialect): DType[] {
  const ns = idx.nSlots;
  const out: DType[] = [];
  for (let f = 0; f < ns; f++) {
    let can = ALL, seen = false;
    for (let r = 0; r < idx.rows && can !== 0; r++) {
      const k = r * ns + f;
      const s = idx.pos[2 * k], e = idx.pos[2 * k + 1];
      const quoted = idx.flags !== undefined && idx.flags[k] !== 0;
      if (!quoted && isNullToken(d, buf, s, e)) continue;
      seen = true;
      if (can & BOOL && parseBoolBytes(buf, s, e, false) < 0) can &= ~BOOL;
      if (can & INT) {
        const v = parseIntBytes(buf, s, e);
        if (!(Math.abs(v) <= Number.MAX_SAFE_INTEGER)) can &= ~INT;
      }
      if (can & FLOAT) {
        const v = parseFloatBytes(buf, s, e);
        if (v !== v && !isNanText(buf, s, e)) can &= ~FLOAT;
      }
      if (can & DATE) {
        const v = parseDateBytes(buf, s, e);
        if (v !== v) can &= ~DATE;
      }
      if (can & TS) {
        const v = parseTimestampBytes(buf, s, e, true);
        if (v !== v) can &= ~TS;
      }
    }
    out.push(!seen ? 'utf8' : can & BOOL ? 'bool' : can & INT ? 'int64' : can & FLOAT ? 'float64'
      : can & DATE ? 'date' : can & TS ? 'timestamp' : 'utf8');
  }
  return out;
}
