import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

// Each case starts a Node process that loads the whole app: seconds on a busy machine.
describe('registry-workload main', { timeout: 60_000 }, () => {
  it('documents its own flags with --help', () => {
    const run = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8', env: { PATH: process.env['PATH'] } });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--registry-flavour ($IRO_REGISTRY_FLAVOUR)');
    expect(run.stdout).toContain('--registry-image ($IMAGE)');
    expect(run.stdout).toContain('--serving-cert');
    expect(run.stdout).toContain('--namespace');
  });

  it('refuses an unknown flag with exit code 2', () => {
    const run = spawnSync(process.execPath, [main, '--no-such-flag'], { encoding: 'utf8', env: { PATH: process.env['PATH'] } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('registry-workload:');
  });
});
