import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestNamespace, testKubeConfig } from '@image-registry/testing';
import { basic, request, serviceAccountToken, startStack, type Stack } from './support.ts';

// Without an answer from the API server nothing is allowed: 503 with a message, never a pass.
describe('registry-auth when reviews fail', () => {
  const admin = testKubeConfig();
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  async function expectUnavailable(s: Stack, token: string, ns: string): Promise<void> {
    for (const [method, path, auth] of [
      ['GET', '/v2/', basic(token)],
      ['GET', `/v2/${ns}/app/manifests/1`, basic(token)],
      ['PUT', `/v2/${ns}/app/manifests/1`, `Bearer ${token}`],
      ['GET', `/v2/${ns}/app/manifests/1`, undefined],
    ] as const) {
      const answer = await request(s, method, path, auth ? { authorization: auth } : {});
      expect(answer.status, `${method} ${path}`).toBe(503);
      const error = JSON.parse(answer.body).errors[0];
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toMatch(/^cannot check credentials now: the Kubernetes API did not answer the (TokenReview|SubjectAccessReview): .+; retry later$/);
    }
    const metrics = await s.auth.registry.metrics();
    expect(metrics).toMatch(/registry_auth_requests_total\{verb="pull",decision="unavailable"\} [1-9]/);
  }

  it('answers 503 when the API server cannot be reached', async () => {
    const ns = await createTestNamespace(admin, 'closed');
    const token = await serviceAccountToken(admin, ns);
    const unreachable = new KubeConfig();
    // A loopback port nothing listens on (the discard port).
    unreachable.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:9', skipTLSVerify: true }],
      users: [{ name: 'u', token: 'x' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    stack = await startStack(admin, { kubeConfig: unreachable, settings: { reviewTimeoutMs: 2000 } });
    await expectUnavailable(stack, token, ns);
    expect(stack.logs.join('')).not.toContain(token);
  });

  it('answers 502 with a message when the registry behind it does not answer', async () => {
    const ns = await createTestNamespace(admin, 'noregistry');
    const token = await serviceAccountToken(admin, ns);
    stack = await startStack(admin);
    expect((await request(stack, 'GET', '/v2/', { authorization: basic(token) })).status).toBe(200);
    await stack.registry.stop();
    const answer = await request(stack, 'GET', '/v2/', { authorization: basic(token) });
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body).errors[0].message).toMatch(/^the registry behind this proxy did not answer \(.+\); retry later$/);
    expect(await stack.auth.registry.metrics()).toMatch(/registry_auth_upstream_errors_total\{verb="base"\} [1-9]/);
  });

  it('answers 503 when its ServiceAccount may not create reviews', async () => {
    const ns = await createTestNamespace(admin, 'norbac');
    const token = await serviceAccountToken(admin, ns);
    stack = await startStack(admin, { withoutRbac: true });
    await expectUnavailable(stack, token, ns);
  });
});
