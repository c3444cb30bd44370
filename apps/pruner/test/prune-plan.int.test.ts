import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startRegistry, workspaceRoot, type Registry } from '@image-registry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededBytes } from './oci-images.ts';
import { configCreated, http, pushImage } from './registry-push.ts';

const day = 24 * 3600 * 1000;

function prune(registry: Registry, flags: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(workspaceRoot(), 'apps/pruner/src/main.ts'), 'prune', `--registry-url=${registry.url}`, '--token-file=/nonexistent', '--garbage-collect=never', '--keep-tag-revisions=2', ...flags],
      (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
}

const tagsOf = async (registry: Registry, repo: string) => {
  const res = await fetch(`${registry.url}/v2/${repo}/tags/list`);
  return ((await res.json()) as { tags?: string[] }).tags?.sort() ?? [];
};

describe('the prune command against a bare registry binary', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry({ env: { REGISTRY_STORAGE_DELETE_ENABLED: 'true' } });
    const now = Date.now();
    for (let i = 1; i <= 4; i++) {
      await pushImage(registry.url, 'team/web', `v${i}`, seededBytes(`web ${i}`, 2048), configCreated(new Date(now - (10 - i) * day)));
    }
    // An image whose config is not JSON: its creation time cannot be read, an invalid reference.
    await pushImage(registry.url, 'team/broken', 'bad', seededBytes('broken', 512), Buffer.from('not json'));
    await pushImage(registry.url, 'team/broken', 'old', seededBytes('broken old', 512), configCreated(new Date(now - 30 * day)));
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('fails on an invalid reference without ignoreInvalidImageReferences, and deletes nothing', async () => {
    const run = await prune(registry, ['--confirm=true', '--ignore-invalid-refs=false']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('invalid image reference(s), nothing deleted: team/broken:bad');
    expect(await tagsOf(registry, 'team/web')).toEqual(['v1', 'v2', 'v3', 'v4']);
  });

  it('prints the plan with --dry-run and changes nothing', async () => {
    const run = await prune(registry, ['--dry-run', '--ignore-invalid-refs=true']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/"repository":"team\/web","digest":"sha256:[0-9a-f]+","tags":\["v1"\],"msg":"would delete"/);
    expect(run.stdout).toContain('(2 would be)');
    expect(await tagsOf(registry, 'team/web')).toEqual(['v1', 'v2', 'v3', 'v4']);
  });

  it('skips invalid references when told to, keeping them, and deletes the rest', async () => {
    const run = await prune(registry, ['--confirm=true', '--ignore-invalid-refs=true']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('2 manifests deleted');
    expect(await tagsOf(registry, 'team/web')).toEqual(['v3', 'v4']);
    // The invalid tag stays; `old` is one of the two newest that stay as well.
    expect(await tagsOf(registry, 'team/broken')).toEqual(['bad', 'old']);
    expect((await http(`${registry.url}/v2/team/web/manifests/v1`, 'GET')).status).toBe(404);
  });
});
