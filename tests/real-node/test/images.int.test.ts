import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyYaml, realNodePlacement } from '@image-registry/testing';
import { restricted } from './pods.ts';
import { describePod, getPod, podLog, skipReason, startCluster, type Cluster } from './support.ts';

// What each app image must hold for its Deployment: Node 24 that loads with the image's own libraries, the
// bundle, a non-root user and a root filesystem it cannot write, and `sleep` for the preStop hook.
const probe = `
const fs = require('node:fs');
fs.accessSync('/app/main.mjs');
let ro = false;
try { fs.writeFileSync('/probe', 'x'); } catch (e) { ro = e.code === 'EROFS'; }
console.log(JSON.stringify({ node: process.version, uid: process.getuid(), ro }));
`;

const apps = Object.keys(inject('realNodeImages')).filter((n) => !['pause', 'registry', 'test-client'].includes(n));

describe.skipIf(skipReason)(`app images on the real node${skipReason ? ` (not run: ${skipReason})` : ''}`, () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(apps);
  });
  afterAll(async () => {
    await cluster?.cp.stop();
  });

  it('every app image runs Node 24 as user 65532 on a read-only root filesystem, with its bundle', async () => {
    expect(apps.length).toBeGreaterThan(0);
    const { kc, h } = cluster;
    for (const app of apps) {
      await applyYaml(kc, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `image-${app}`, namespace: 'default' },
        spec: {
          ...realNodePlacement(h),
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          containers: [{ name: 'probe', image: h.images[app], command: ['/nodejs/bin/node', '-e', probe], securityContext: restricted }],
        },
      });
    }
    for (const app of apps) {
      await expect
        .poll(async () => {
          const pod = await getPod(kc, 'default', `image-${app}`);
          return pod.status?.phase === 'Succeeded' ? 'Succeeded' : describePod(pod);
        }, { timeout: 180_000, interval: 1_000 })
        .toBe('Succeeded');
      const out = JSON.parse(await podLog(kc, 'default', `image-${app}`)) as { node: string; uid: number; ro: boolean };
      expect({ app, ...out, node: out.node.split('.')[0] }).toEqual({ app, node: 'v24', uid: 65532, ro: true });
    }
  });
});
