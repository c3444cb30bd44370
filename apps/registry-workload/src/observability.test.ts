import { describe, expect, it } from 'vitest';
import { caRotated, rolloutStarted } from './observability.ts';
import { caSecretName } from './render/names.ts';

const deployment = (generation: number) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'image-registry', namespace: 'ns', generation } });
const ca = (cert: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: caSecretName, namespace: 'ns' }, data: { 'tls.crt': cert, 'tls.key': 'c2VjcmV0' } });

describe('registry-workload Events', () => {
  it('RolloutStarted on a new generation of the registry Deployment, not on status updates or at start', () => {
    expect(rolloutStarted(deployment(1), deployment(2))).toMatchObject({ reason: 'RolloutStarted', regarding: { kind: 'Deployment', name: 'image-registry' } });
    expect(rolloutStarted(deployment(2), deployment(2))).toBeUndefined();
    expect(rolloutStarted(undefined, deployment(3))).toBeUndefined();
  });

  it('CARotated when the serving CA certificate changes, without a byte of the secret in the note', () => {
    const e = caRotated(ca('b2xk'), ca('bmV3'));
    expect(e).toMatchObject({ reason: 'CARotated', regarding: { kind: 'Secret', name: caSecretName } });
    expect(JSON.stringify(e)).not.toMatch(/b2xk|bmV3|c2VjcmV0/);
    expect(caRotated(ca('b2xk'), ca('b2xk'))).toBeUndefined();
    expect(caRotated(undefined, ca('b2xk'))).toBeUndefined();
  });
});
