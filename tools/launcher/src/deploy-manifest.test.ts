import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Deployment } from '@kubernetes/client-node';
import { parseManifests, workspaceRoot } from '@image-registry/testing';
import { describe, expect, it } from 'vitest';
import { parseLauncherOptions } from './options.ts';

// The all-in-one Deployment and the launcher must agree (issue #12): SIGKILL must never cut the drain.
const deployment = parseManifests(
  readFileSync(join(workspaceRoot(), 'deploy/overlays/all-in-one/launcher.yaml'), 'utf8'),
).find((m) => m.kind === 'Deployment') as unknown as V1Deployment | undefined;

describe('deploy/overlays/all-in-one/launcher.yaml', () => {
  it("gives the pod a grace period above the launcher's shutdown budget, as its args and env set it", () => {
    const pod = deployment?.spec?.template.spec;
    const container = pod?.containers[0];
    const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
    const opts = parseLauncherOptions(container?.args ?? [], env, '/app/apps');
    expect(pod?.terminationGracePeriodSeconds ?? 30).toBeGreaterThan(opts.shutdownTimeoutMs / 1000);
  });
});
