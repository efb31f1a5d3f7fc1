/**
 * Text kernels on UTF-8 bytes with DuckDB's semantics: word counting
 * (`unnest(regexp_split_to_array(lower(line), '[^\p{L}]+'))` without empty pieces, counted)
 * and `lower()`.
 * @example
 * import { WordCounter, lowerUtf8 } from './ops/kernels/text/index.js';
 */
export { WordCounter, type WordCountsBatch } from './word-counter.js';
export { WordTable } from './word-table.js';
export { countWords } from './count-words.js';
export { lowerUtf8 } from './lower-utf8.js';
export { ASCII_WORD, classifyLower, isLetter, lowerCodePoint } from './unicode.js';
export { decodeUtf8, encodeUtf8 } from './utf8.js';
