import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeHttpApi, json, type Handler } from '../test/support/fake-http-api.ts';
import { KubeApiError, NotLeaderError, isNotFound } from './errors.ts';
import { KubeClient } from './kube-client.ts';
import type { KubeObject } from './objects.ts';
import { reconcileScope } from './reconcile-scope.ts';
import { Resources } from './resources.ts';
import { WatchIdleError } from './transport.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function setup(handler: Handler) {
  const api = await fakeHttpApi(handler);
  close = api.close;
  const registry = new Registry();
  const client = new KubeClient({ kubeConfig: api.kubeConfig, fieldManager: 'image-registry-operator/test', registry, maxRetryWaitMs: 2000 });
  const requests = async (verb: string, code: string) =>
    (await registry.getSingleMetric('rest_client_requests_total')?.get())?.values.find((v) => v.labels['verb'] === verb && v.labels['code'] === code)?.value ?? 0;
  return { api, client, requests };
}

const secret = (extra: object = {}) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, ...extra });

describe('KubeClient', () => {
  it('gets an object by key with the kubeconfig credentials, and undefined when it does not exist', async () => {
    const { api, client } = await setup((req, res) =>
      req.url.pathname.endsWith('/missing')
        ? json(res, 404, { kind: 'Status', reason: 'NotFound', code: 404 })
        : json(res, 200, { metadata: { name: 'cm' }, data: { a: '1' } }),
    );
    const got = await client.get(Resources.ConfigMap, { namespace: 'ns', name: 'cm' });
    expect(got).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
    expect(await client.get(Resources.ConfigMap, { namespace: 'ns', name: 'missing' })).toBeUndefined();
    expect(api.requests[0]?.url.pathname).toBe('/api/v1/namespaces/ns/configmaps/cm');
    expect(api.requests[0]?.headers.authorization).toBe('Bearer sekret-token');
  });

  it('lists every page and fills in apiVersion and kind', async () => {
    const { api, client } = await setup((req, res) => {
      const cont = req.url.searchParams.get('continue');
      json(res, 200, {
        metadata: { resourceVersion: '42', continue: cont ? '' : 'page2' },
        items: [{ metadata: { name: cont ? 'b' : 'a', namespace: 'x' } }],
      });
    });
    const { items, resourceVersion } = await client.list(Resources.Deployment, { labelSelector: 'app=r' });
    expect(items.map((i) => [i.kind, i.apiVersion, i.metadata?.name])).toEqual([
      ['Deployment', 'apps/v1', 'a'],
      ['Deployment', 'apps/v1', 'b'],
    ]);
    expect(resourceVersion).toBe('42');
    expect(api.requests[0]?.url.pathname).toBe('/apis/apps/v1/deployments');
    expect(api.requests[0]?.url.searchParams.get('labelSelector')).toBe('app=r');
    expect(api.requests[1]?.url.searchParams.get('continue')).toBe('page2');
  });

  it('applies with the field manager, force and the apply-patch content type, sending raw JSON', async () => {
    const { api, client, requests } = await setup((req, res) => json(res, 200, JSON.parse(req.body)));
    await client.apply(Resources.Secret, secret({ data: { k: 'dg==' } }), { current: null });
    const req = api.requests[0];
    expect(req?.method).toBe('PATCH');
    expect(req?.url.pathname).toBe('/api/v1/namespaces/ns/secrets/s');
    expect(req?.url.searchParams.get('fieldManager')).toBe('image-registry-operator/test');
    expect(req?.url.searchParams.get('force')).toBe('true');
    expect(req?.headers['content-type']).toBe('application/apply-patch+yaml');
    expect(JSON.parse(req?.body ?? '')).toEqual(secret({ data: { k: 'dg==' } }));
    expect(await requests('apply', '200')).toBe(1);
  });

  it('applies status to the /status subresource', async () => {
    const { api, client } = await setup((req, res) => json(res, 200, JSON.parse(req.body)));
    await client.applyStatus(Resources.Deployment, { metadata: { name: 'd', namespace: 'ns' }, status: { replicas: 1 } } as KubeObject, { force: false, current: null });
    expect(api.requests[0]?.url.pathname).toBe('/apis/apps/v1/namespaces/ns/deployments/d/status');
    expect(api.requests[0]?.url.searchParams.get('force')).toBe('false');
  });

  it('sends no request when the current object already carries what we would apply', async () => {
    const { api, client, requests } = await setup((_req, res) => json(res, 500, {}));
    const current = {
      ...secret({ data: { k: 'dg==' } }),
      metadata: {
        name: 's',
        namespace: 'ns',
        managedFields: [{ manager: 'image-registry-operator/test', operation: 'Apply', apiVersion: 'v1', fieldsV1: { 'f:data': { 'f:k': {} } } }],
      },
    };
    const out = await client.apply(Resources.Secret, secret({ data: { k: 'dg==' } }), { current });
    expect(out).toBe(current);
    expect(api.requests).toHaveLength(0);
    expect(await requests('apply', '200')).toBe(0);
    const skipped = await client.registry.getSingleMetric('apply_skipped_total')?.get();
    expect(skipped?.values[0]).toMatchObject({ labels: { kind: 'Secret' }, value: 1 });
  });

  it('consults the cache lookup when no current object is passed', async () => {
    const { api, client } = await setup((req, res) => json(res, 200, JSON.parse(req.body)));
    const looked: string[] = [];
    client.setCacheLookup((res, key) => {
      looked.push(`${res.kind} ${key.namespace}/${key.name}`);
      return undefined;
    });
    await client.apply(Resources.Secret, secret());
    expect(looked).toEqual(['Secret ns/s']);
    expect(api.requests).toHaveLength(1);
  });

  /** The Secret as the server returns it after our apply: revision `rv`, our field manager owning data.k. */
  const owned = (rv: string, value = 'bmV3') => ({
    ...secret({ data: { k: value } }),
    metadata: {
      name: 's',
      namespace: 'ns',
      uid: 'u1',
      resourceVersion: rv,
      managedFields: [{ manager: 'image-registry-operator/test', operation: 'Apply', apiVersion: 'v1', fieldsV1: { 'f:data': { 'f:k': {} } } }],
    },
  });

  it('reads its own last apply past a cache that has not caught up, and the cache again once it is newer', async () => {
    const { api, client } = await setup((req, res) => json(res, 200, owned('6', (JSON.parse(req.body) as { data: { k: string } }).data.k)));
    let cache: KubeObject = owned('5', 'b2xk');
    client.setCacheLookup(() => cache);
    client.trackWrites(Resources.Secret);
    await client.apply(Resources.Secret, secret({ data: { k: 'bmV3' } }));
    // The watch has not delivered revision 6 yet: the same apply again changes nothing.
    await client.apply(Resources.Secret, secret({ data: { k: 'bmV3' } }));
    expect(api.requests).toHaveLength(1);
    // Someone else wrote after us (revision 7, the old value back): the cache is the truth and we repair it.
    cache = owned('7', 'b2xk');
    await client.apply(Resources.Secret, secret({ data: { k: 'bmV3' } }));
    expect(api.requests).toHaveLength(2);
  });

  it('forgets a remembered write once the cache has delivered it', async () => {
    const { api, client } = await setup((_req, res) => json(res, 200, owned('6')));
    const stale = owned('5', 'b2xk');
    client.setCacheLookup(() => stale);
    client.trackWrites(Resources.Secret);
    await client.apply(Resources.Secret, secret({ data: { k: 'bmV3' } }));
    // The watch delivered revision 6: nothing is held for it any more, so a (contrived) stale cache is read.
    client.observed(Resources.Secret, { namespace: 'ns', name: 's' }, owned('6'));
    await client.apply(Resources.Secret, secret({ data: { k: 'bmV3' } }));
    expect(api.requests).toHaveLength(2);
  });

  it('waits out 429 Retry-After and retries', async () => {
    let n = 0;
    const { api, client, requests } = await setup((req, res) =>
      ++n === 1 ? json(res, 429, { kind: 'Status', reason: 'TooManyRequests' }, { 'retry-after': '1' }) : json(res, 200, JSON.parse(req.body)),
    );
    const started = Date.now();
    await client.apply(Resources.Secret, secret(), { current: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(api.requests).toHaveLength(2);
    expect(await requests('apply', '429')).toBe(1);
    expect(await requests('apply', '200')).toBe(1);
  });

  it('gives up at once when Retry-After is longer than it will wait, telling the caller how long', async () => {
    const { client } = await setup((_req, res) => json(res, 429, { kind: 'Status', reason: 'TooManyRequests' }, { 'retry-after': '60' }));
    const err = await client.apply(Resources.Secret, secret(), { current: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).retryAfterMs).toBe(60_000);
  });

  it('turns a conflict into a KubeApiError that names the verb, path and what to do', async () => {
    const { client } = await setup((_req, res) =>
      json(res, 409, { kind: 'Status', reason: 'Conflict', code: 409, message: 'Apply failed with 1 conflict: conflict with "kubectl": .data.k' }),
    );
    const err = await client.apply(Resources.Secret, secret(), { force: false, current: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).message).toMatch(/^apply \/api\/v1\/namespaces\/ns\/secrets\/s: 409 .*kubectl.*force/);
  });

  it('refuses writes when the write guard says so, but still reads', async () => {
    const { api, client } = await setup((_req, res) => json(res, 200, { metadata: { name: 's' } }));
    client.setWriteGuard(() => {
      throw new NotLeaderError('not the leader');
    });
    await expect(client.apply(Resources.Secret, secret(), { current: null })).rejects.toBeInstanceOf(NotLeaderError);
    await expect(client.delete(Resources.Secret, { namespace: 'ns', name: 's' })).rejects.toBeInstanceOf(NotLeaderError);
    await client.get(Resources.Secret, { namespace: 'ns', name: 's' });
    expect(api.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('gives up on a write before the leadership it was sent under runs out', async () => {
    const { api } = await setup((req, res) => (req.method === 'GET' ? json(res, 200, { metadata: { name: 's' } }) : undefined));
    // A request timeout far beyond the test's own: only the write guard's deadline can end the write.
    const slow = new KubeClient({ kubeConfig: api.kubeConfig, fieldManager: 'image-registry-operator/test', requestTimeoutMs: 600_000 });
    slow.setWriteGuard(() => 100.5); // what is left of a lease is rarely a whole number of ms
    await expect(slow.apply(Resources.Secret, secret(), { current: null })).rejects.toThrow(/timed out|aborted|timeout/i);
    await slow.get(Resources.Secret, { namespace: 'ns', name: 's' }); // reads are not capped by it
    slow.close();
  });

  it('deletes with preconditions and reports whether the object existed', async () => {
    let n = 0;
    const { api, client } = await setup((_req, res) => (++n === 1 ? json(res, 200, {}) : json(res, 404, { kind: 'Status', code: 404 })));
    expect(await client.delete(Resources.Secret, { namespace: 'ns', name: 's' }, { preconditions: { uid: 'u1' } })).toBe(true);
    expect(await client.delete(Resources.Secret, { namespace: 'ns', name: 's' })).toBe(false);
    expect(JSON.parse(api.requests[0]?.body ?? '')).toMatchObject({ kind: 'DeleteOptions', preconditions: { uid: 'u1' } });
  });

  it('aborts its requests when the ambient reconcile signal aborts', async () => {
    const { client } = await setup(() => undefined); // never answers
    const ctl = new AbortController();
    const pending = reconcileScope.run(ctl.signal, () => client.get(Resources.Secret, { namespace: 'ns', name: 's' }));
    setTimeout(() => ctl.abort(new Error('reconcile timed out')), 50);
    await expect(pending).rejects.toThrow('reconcile timed out');
  });

  it('streams watch events line by line, typing objects', async () => {
    const { api, client, requests } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '5' } } })}\n{"type":"MODI`);
      setTimeout(() => {
        res.write(`FIED","object":{"metadata":{"name":"a","resourceVersion":"6"}}}\n`);
        res.end(`${JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '7' } } })}\n`);
      }, 20);
    });
    const events: string[] = [];
    await client.watch(Resources.ConfigMap, { namespace: 'ns', resourceVersion: '4' }, (ev) =>
      events.push(`${ev.type} ${(ev.object as KubeObject).metadata?.resourceVersion} ${(ev.object as KubeObject).kind ?? '-'}`),
    );
    expect(events).toEqual(['ADDED 5 ConfigMap', 'MODIFIED 6 ConfigMap', 'BOOKMARK 7 -']);
    const q = api.requests[0]?.url.searchParams;
    expect([q?.get('watch'), q?.get('resourceVersion'), q?.get('allowWatchBookmarks')]).toEqual(['1', '4', 'true']);
    expect(await requests('watch', '200')).toBe(1);
  });

  it('fails a watch that goes silent with WatchIdleError', async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(200);
      res.write('\n');
    });
    await expect(client.watch(Resources.ConfigMap, { idleTimeoutMs: 100 }, () => undefined)).rejects.toBeInstanceOf(WatchIdleError);
  });

  it('fails a watch whose server accepts the connection and never answers, not even headers', async () => {
    const { client, requests } = await setup(() => undefined);
    await expect(client.watch(Resources.ConfigMap, { idleTimeoutMs: 100 }, () => undefined)).rejects.toBeInstanceOf(WatchIdleError);
    expect(await requests('watch', '<error>')).toBe(1);
  });

  it('asks for bookmarks and a server-side timeout, and waits longer than that timeout before calling a watch idle', async () => {
    const { api, client } = await setup((req, res) => {
      // A healthy quiet watch: headers, then nothing until the server's own timeout ends it.
      res.writeHead(200);
      res.flushHeaders();
      setTimeout(() => res.end(), Number(req.url.searchParams.get('timeoutSeconds')) * 1000);
    });
    await client.watch(Resources.ConfigMap, { timeoutSeconds: 1 }, () => undefined); // resolves: no WatchIdleError
    const q = api.requests[0]?.url.searchParams;
    expect([q?.get('allowWatchBookmarks'), q?.get('timeoutSeconds')]).toEqual(['true', '1']);
  });

  it('caps a response body and a watch line', async () => {
    const big = 'x'.repeat(4096);
    const { api } = await setup((req, res) => {
      if (req.url.searchParams.has('watch')) {
        res.writeHead(200);
        res.write(`{"type":"ADDED","object":{"metadata":{"name":"${big}"}}`); // no newline, ever growing
        return;
      }
      json(res, 200, { metadata: { name: big } });
    });
    const capped = new KubeClient({ kubeConfig: api.kubeConfig, fieldManager: 'image-registry-operator/test', maxResponseBytes: 1024, maxWatchLineBytes: 1024 });
    await expect(capped.get(Resources.ConfigMap, { namespace: 'ns', name: 'a' })).rejects.toThrow(/exceeds 1024 bytes/);
    await expect(capped.watch(Resources.ConfigMap, {}, () => undefined)).rejects.toThrow(/exceeds 1024 bytes/);
    capped.close();
  });

  it('rejects a watch the server refuses with the status', async () => {
    const { client } = await setup((_req, res) => json(res, 410, { kind: 'Status', code: 410, reason: 'Expired' }));
    const err = await client.watch(Resources.ConfigMap, {}, () => undefined).catch((e: unknown) => e);
    expect((err as KubeApiError).status).toBe(410);
    expect(isNotFound(err)).toBe(false);
  });

  it('counts a request that got no answer as code <error>', async () => {
    const { client, requests } = await setup((_req, res) => res.destroy());
    await expect(client.get(Resources.Secret, { namespace: 'ns', name: 's' })).rejects.toThrow(/API server reachable/);
    expect(await requests('get', '<error>')).toBe(1);
  });
});
