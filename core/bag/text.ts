/**
 * The text reader (io/text) seen from bags: describes text files into line-aligned blocks and
 * reads a block's lines. Loaded on first use, so a worker that only maps items never loads it.
 */

/**
 * What bags use of io/text.
 * @example const { textReader }: TextModule = await loadText();
 */
export type TextModule = Pick<typeof import('../../io/text/index.js'), 'readTextLines' | 'textReader'>;

let loading: Promise<TextModule> | undefined;

/**
 * Loads io/text once per thread.
 * @example const { readTextLines } = await loadText();
 */
export function loadText(): Promise<TextModule> {
  loading ??= import('../../io/text/index.js');
  return loading;
}
