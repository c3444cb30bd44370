import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import { ProxyMetrics } from './metrics.ts';
import type { Identity, ReviewApi } from './review-api.ts';
import { Reviewer } from './reviewer.ts';
import { routeRequest, type AccessCheck } from './route.ts';

const alice: Identity = { username: 'system:serviceaccount:a:default', groups: ['system:serviceaccounts', 'system:serviceaccounts:a'] };

/** An in-memory stand-in for the API server's answers: which token is whom, and who may do what. */
function reviewer(opts: { fail?: boolean; allow?: (who: Identity, c: AccessCheck) => boolean } = {}) {
  const calls = { token: 0, access: 0 };
  const api: ReviewApi = {
    async tokenReview(token) {
      calls.token++;
      if (opts.fail) throw new Error('connect ECONNREFUSED');
      return token === 'good' ? alice : undefined;
    },
    async accessReview(who, check) {
      calls.access++;
      if (opts.fail) throw new Error('connect ECONNREFUSED');
      return opts.allow?.(who, check) ?? false;
    },
  };
  const r = new Reviewer({ api, metrics: new ProxyMetrics(new Registry()), clock: { now: () => 0 }, allowTtlMs: 10_000, denyTtlMs: 2_000, maxEntries: 100, timeoutMs: 1000 });
  return { r, calls };
}
const bearer = 'Bearer good';

describe('decide', () => {
  it('allows what a SubjectAccessReview allows, reviewing each token and access once', async () => {
    const { r, calls } = reviewer({ allow: (_w, c) => c.namespace === 'a' && c.verb === 'get' });
    for (let i = 0; i < 5; i++) {
      expect(await decide(r, routeRequest('GET', `/v2/a/app/blobs/sha256:${i}`), bearer)).toMatchObject({ decision: 'allowed' });
    }
    expect(calls).toEqual({ token: 1, access: 1 });
  });

  it('answers 403 naming the identity, the permission and the role that grants it', async () => {
    const { r } = reviewer();
    const o = await decide(r, routeRequest('PUT', '/v2/b/app/manifests/1'), bearer);
    expect(o).toMatchObject({ decision: 'denied', status: 403, code: 'DENIED' });
    expect(o.decision !== 'allowed' && o.message).toBe(
      'system:serviceaccount:a:default may not update imagestreams/layers.image.openshift.io in the namespace "b" (needed to push b/app); a RoleBinding to system:image-pusher in "b" grants it',
    );
  });

  it('answers 401 to anonymous callers that are not allowed, and to /v2/', async () => {
    const { r } = reviewer();
    expect(await decide(r, routeRequest('GET', '/v2/a/app/manifests/1'), undefined)).toMatchObject({ decision: 'unauthenticated', status: 401 });
    expect(await decide(r, routeRequest('GET', '/v2/'), undefined)).toMatchObject({ decision: 'unauthenticated', status: 401 });
  });

  it('lets anonymous pull where RBAC grants system:anonymous', async () => {
    const { r } = reviewer({ allow: (w) => w.username === 'system:anonymous' });
    expect(await decide(r, routeRequest('GET', '/v2/a/app/manifests/1'), undefined)).toMatchObject({ decision: 'allowed' });
  });

  it('answers /v2/ with 200 for any accepted token and 401 for a rejected one', async () => {
    const { r } = reviewer();
    expect(await decide(r, routeRequest('GET', '/v2/'), bearer)).toMatchObject({ decision: 'allowed' });
    expect(await decide(r, routeRequest('GET', '/v2/'), 'Bearer revoked')).toMatchObject({ decision: 'unauthenticated', status: 401 });
  });

  it('fails closed with 503 when the API server does not answer, and tries again next time', async () => {
    const { r, calls } = reviewer({ fail: true });
    for (let i = 0; i < 2; i++) {
      const o = await decide(r, routeRequest('GET', '/v2/a/app/manifests/1'), bearer);
      expect(o).toMatchObject({ decision: 'unavailable', status: 503, code: 'UNAVAILABLE' });
    }
    expect(calls.token).toBe(2);
  });

  it('turns a mount from a repository the caller cannot pull into a plain upload', async () => {
    const { r } = reviewer({ allow: (_w, c) => c.namespace === 'a' });
    expect(await decide(r, routeRequest('POST', '/v2/a/app/blobs/uploads/?mount=sha256:x&from=b/base'), bearer)).toMatchObject({ decision: 'allowed', dropMount: true });
    expect(await decide(r, routeRequest('POST', '/v2/a/app/blobs/uploads/?mount=sha256:x&from=a/base'), bearer)).toMatchObject({ decision: 'allowed', dropMount: false });
  });
});
