// A promise that fails with nobody waiting on it, in the desk's process: logged, and the desk keeps
// running (Node's default would end it, and with it the clerk's open work).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const guards = join(import.meta.dirname, '..', '..', 'main', 'app', 'process-guards.ts');

function run(install: boolean) {
  const script = `
    import { createLogger } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'common', 'logger.ts'))};
    ${install ? `const { logUnhandledRejections } = await import(${JSON.stringify(guards)}); logUnhandledRejections(createLogger({ level: 'error' }));` : ''}
    Promise.reject(new Error('nobody waits for this'));
    setTimeout(() => { process.stdout.write('still here'); }, 200);
  `;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
}

describe('unhandled rejections in the desk process', () => {
  it('without the guard Node ends the process (why the shells install it)', () => {
    const result = run(false);
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain('still here');
  });

  it('with the guard the rejection is logged and the process carries on', () => {
    const result = run(true);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('still here');
    const line = JSON.parse(result.stderr.trim().split('\n').at(-1)!) as { level: string; msg: string; err: { message: string } };
    expect(line).toMatchObject({ level: 'error', err: { message: 'nobody waits for this' } });
  });
});
