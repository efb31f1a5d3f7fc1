/** Starts benchmark children and collects their reports. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseChildOutput, type ChildResult } from './protocol.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

/** Bytes of a failed child's stderr kept for the report. */
const STDERR_TAIL = 2000;

/**
 * Runs `child.js peer caseId path` and resolves with its report. A child that runs past
 * `timeoutMs` is killed and reported as a timeout. The heap limit is raised because the JS
 * peers (Arquero, the naive program) hold whole tables in the JS heap; POLARS_MAX_THREADS
 * gives Polars the same two threads as everyone else. `env` adds variables (W6's memory limit
 * and directories).
 */
export function runChild(peer: string, caseId: string, path: string, timeoutMs: number, env: Record<string, string> = {}): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=16384', CHILD, peer, caseId, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, POLARS_MAX_THREADS: '2', ...env },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr = (stderr + s).slice(-STDERR_TAIL); });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, error: `could not start: ${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ ok: false, timeout: true, error: `timed out after ${timeoutMs / 1000} s` });
      let result: ChildResult | undefined;
      try {
        result = parseChildOutput(stdout);
      } catch (err) {
        return resolve({ ok: false, error: `unreadable report: ${(err as Error).message}` });
      }
      if (result) return resolve(result);
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve({ ok: false, error: `${why} without a report${stderr.trim() ? `: ${lastLines(stderr)}` : ''}` });
    });
  });
}

function lastLines(s: string): string {
  return s.trim().split('\n').slice(-3).join(' / ');
}
