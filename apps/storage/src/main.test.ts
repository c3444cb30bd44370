import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Spawning Node and loading three cloud SDKs takes seconds on a busy machine.
describe('storage main', { timeout: 30_000 }, () => {
  it('documents its flags and their defaults in --help', () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const run = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--infrastructure-name ($IRO_INFRASTRUCTURE_NAME)');
    expect(run.stdout).toContain('k8s-<first 8 characters of the kube-system namespace UID>');
    expect(run.stdout).toContain('--degraded-after-seconds');
  });

  it('refuses an unknown flag with exit code 2', () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const run = spawnSync(process.execPath, [main, '--no-such-flag'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no-such-flag');
  });
});
