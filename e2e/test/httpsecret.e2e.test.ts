// configuration_test.go's TestHTTPSecretDefaulter: the operator generates spec.httpSecret, and again (a
// different one) when an admin empties it.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ensureAvailable,
  ensureClusterOperatorNormal,
  freshConfig,
  getConfig,
  kubectl,
  teardown,
  timeout,
} from '../src/helpers.ts';

const httpSecret = async () => String((await getConfig())?.spec?.['httpSecret'] ?? '');

describe('httpSecret', () => {
  afterEach(teardown);

  it('TestHTTPSecretDefaulter', async () => {
    await freshConfig({ storage: { emptyDir: {} }, replicas: 1 });
    await ensureAvailable();
    await ensureClusterOperatorNormal();
    const first = await httpSecret();
    expect(first).not.toBe('');

    await kubectl(
      'patch',
      'configs.imageregistry.operator.openshift.io',
      'cluster',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/httpSecret","value":""}]',
    );
    await expect.poll(httpSecret, { timeout }).not.toBe('');
    expect(await httpSecret()).not.toBe(first);
    await ensureAvailable();
  });
});
