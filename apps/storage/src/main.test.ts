import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('storage main', () => {
  it('says it is not implemented yet and exits non-zero', () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const run = spawnSync(process.execPath, [main], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('storage: not implemented yet');
  });
});
