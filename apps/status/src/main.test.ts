import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('status main', () => {
  it('lists its flags, the release version among them, with --help', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--release-version ($RELEASE_VERSION)');
    expect(help.stdout).toContain('--namespace ($IRO_NAMESPACE)');
  });

  it('refuses an unknown flag with exit code 2 and says how to get help', () => {
    const bad = run('--no-such-flag=1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--help');
  });
});
