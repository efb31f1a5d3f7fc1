/** Byte-search helpers shared by the line readers. */

/**
 * A Buffer view of the same memory (no copy). `Buffer.indexOf` searches with memchr, several
 * times faster than `Uint8Array.prototype.indexOf` over the many short lines of a block.
 * @example asBuffer(bytes).indexOf(10, from)
 */
export const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.length));
