// A small run of bench/server-load (five desks of one office, a few seconds, SQLite): the bench's desks
// sign in, pull the feed, register letters with scans, dispose and read through the real server, and
// the bench prints its table. Checks that the bench still works against today's API, not how fast.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function runBench(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bench/server-load/run.ts'), ...args], { cwd: root, timeout: 90_000, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr });
    });
  });
}

describe('bench/server-load', () => {
  it('drives five desks through the real server on SQLite and prints each route with no errors', async () => {
    const { code, out } = await runBench(['--db', 'sqlite', '--steps', '5', '--seconds', '4', '--warmup', '1', '--floor-seconds', '2',
      '--pull-every', '1', '--action-every', '1', '--password-checks', '1']);
    expect(code, out).toBe(0);
    expect(out).toContain('[sqlite] 5 desks signed in (5 now');
    expect(out).not.toContain('FAILED');
    const pulls = /GET \/sync\/pull\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+(\d+)/.exec(out);
    expect(pulls, out).not.toBeNull();
    expect(Number(pulls![1])).toBeGreaterThan(5);
    expect(Number(pulls![2])).toBe(0);
    // Every mutation the desks pushed was applied: none refused, no request failed.
    expect(out).toMatch(/errors 0 \(0\.00 %\)/);
    expect(out).not.toContain('rejected mutations');
    expect(out).toMatch(/letter\.register \d+/);
    expect(out).toMatch(/sqlite: largest N held = (5|none of the steps)/);
  });
});
