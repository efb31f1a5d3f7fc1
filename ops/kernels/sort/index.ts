/** Sort kernels: stable radix sort permutations, top-k and the k-way merge of sorted runs. */
export { sortIndices } from './sort-indices.js';
export { topK } from './top-k.js';
export { mergeSorted } from './merge-sorted.js';
export { crossComparator, compareNumbers, type CrossComparator } from './compare.js';
export { compareBytes } from './bytes.js';
export { utf8Ranks } from './utf8-rank.js';
