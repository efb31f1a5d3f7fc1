/**
 * Runs one peer on one case in a fresh process, so each engine's peak RSS is its own:
 *
 *   node dist/test/bench/child.js <peer> <case-id> <path>
 *
 * The timed span covers the query including reading the file, but not process start-up or
 * importing the engine's modules.
 */
import { summarize } from './answer.js';
import { loadPeer, type Peer } from './peer.js';
import { RESULT_MARK, type ChildResult } from './protocol.js';
import { caseById } from './workloads.js';

function message(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

function emit(result: ChildResult): void {
  // Exit explicitly: engines may keep worker pools or native handles alive.
  process.stdout.write(`\n${RESULT_MARK}${JSON.stringify(result)}\n`, () => process.exit(0));
}

async function main(argv: string[]): Promise<void> {
  const [peerName, caseId, path] = argv;
  if (!peerName || !caseId || !path) throw new Error('usage: child.js <peer> <case-id> <path>');
  const c = caseById(caseId);
  let peer: Peer;
  try {
    peer = await loadPeer(peerName);
  } catch (err) {
    emit({ ok: false, unavailable: true, error: message(err) });
    return;
  }
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const toAnswer = await peer.run({ workload: c.workload, format: c.format, path, query: c.query });
  const seconds = (performance.now() - t0) / 1000;
  // an engine that works in a helper process (numpy in python3) reports that process's peak too
  const maxRssMB = Math.max(process.resourceUsage().maxRSS / 1024, peer.helperPeakRssMB?.() ?? 0);
  emit({ ok: true, seconds, maxRssMB, summary: summarize(await toAnswer()) });
}

main(process.argv.slice(2)).catch((err: unknown) => emit({ ok: false, error: message(err) }));
