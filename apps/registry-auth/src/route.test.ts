import { describe, expect, it } from 'vitest';
import { routeRequest, splitRepository, withoutMount } from './route.ts';

describe('routeRequest', () => {
  it('needs get imagestreams/layers in the first component for a pull', () => {
    for (const url of ['/v2/team-a/app/manifests/1', '/v2/team-a/app/blobs/sha256:ab', '/v2/team-a/app/tags/list?n=10']) {
      expect(routeRequest('GET', url)).toEqual({
        kind: 'access',
        action: 'pull',
        repository: 'team-a/app',
        checks: [{ verb: 'get', resource: 'imagestreams', subresource: 'layers', namespace: 'team-a', name: 'app' }],
      });
    }
    expect(routeRequest('HEAD', '/v2/a/b/c/manifests/latest')).toMatchObject({ action: 'pull', checks: [{ namespace: 'a', name: 'b/c' }] });
  });

  it('needs update imagestreams/layers for every step of a push', () => {
    const steps: [string, string][] = [
      ['POST', '/v2/a/app/blobs/uploads/'],
      ['PATCH', '/v2/a/app/blobs/uploads/5f1c?_state=x'],
      ['PUT', '/v2/a/app/blobs/uploads/5f1c?digest=sha256:ab'],
      ['GET', '/v2/a/app/blobs/uploads/5f1c'],
      ['DELETE', '/v2/a/app/blobs/uploads/5f1c'],
      ['PUT', '/v2/a/app/manifests/1'],
    ];
    for (const [method, url] of steps) {
      expect(routeRequest(method, url)).toMatchObject({ action: 'push', checks: [{ verb: 'update', subresource: 'layers', namespace: 'a' }] });
    }
  });

  it('needs delete images cluster-wide to delete, and list imagestreams for the catalog', () => {
    expect(routeRequest('DELETE', '/v2/a/app/manifests/sha256:ab')).toMatchObject({ action: 'delete', checks: [{ verb: 'delete', resource: 'images' }] });
    expect(routeRequest('DELETE', '/v2/a/app/blobs/sha256:ab')).toMatchObject({ action: 'delete', checks: [{ verb: 'delete', resource: 'images' }] });
    const catalog = routeRequest('GET', '/v2/_catalog?n=100');
    expect(catalog).toEqual({ kind: 'access', action: 'catalog', checks: [{ verb: 'list', resource: 'imagestreams' }] });
  });

  it('refuses a one-component repository with a message that says what to use', () => {
    const r = routeRequest('POST', '/v2/app/blobs/uploads/');
    expect(r).toMatchObject({ kind: 'reject', status: 400, code: 'NAME_INVALID' });
    expect(r.kind === 'reject' && r.message).toContain('<namespace>/<name>');
  });

  it('refuses a first component that cannot be a namespace', () => {
    expect(routeRequest('GET', '/v2/my_ns/app/manifests/1')).toMatchObject({ kind: 'reject', status: 400, code: 'NAME_INVALID' });
  });

  it('never forwards paths outside the API grammar (traversal, encoding, upper case)', () => {
    for (const url of ['/v2/a/../b/manifests/1', '/v2/a%2Fb/c/manifests/1', '/v2/A/b/manifests/1', '/v2//a/b/manifests/1', '/debug/vars', '/v2/a/b/other']) {
      expect(routeRequest('GET', url)).toMatchObject({ kind: 'reject', status: 404 });
    }
  });

  it('answers the base and the health paths without an access check', () => {
    expect(routeRequest('GET', '/v2/')).toEqual({ kind: 'base' });
    expect(routeRequest('GET', '/v2')).toEqual({ kind: 'base' });
    expect(routeRequest('GET', '/')).toEqual({ kind: 'health' });
    expect(routeRequest('POST', '/')).toMatchObject({ kind: 'reject', status: 405 });
  });

  it('refuses methods the registry has no operation for', () => {
    expect(routeRequest('POST', '/v2/a/b/manifests/1')).toMatchObject({ kind: 'reject', status: 405 });
    expect(routeRequest('PATCH', '/v2/a/b/blobs/sha256:ab')).toMatchObject({ kind: 'reject', status: 405 });
  });

  it('asks for pull on the source of a cross-repository mount', () => {
    expect(routeRequest('POST', '/v2/a/app/blobs/uploads/?mount=sha256:ab&from=b/base')).toMatchObject({
      action: 'push',
      mount: { repository: 'b/base', check: { verb: 'get', subresource: 'layers', namespace: 'b', name: 'base' } },
    });
    expect(routeRequest('POST', '/v2/a/app/blobs/uploads/?mount=sha256:ab&from=base')).not.toHaveProperty('mount');
  });
});

describe('withoutMount', () => {
  it('drops mount and from and keeps the rest', () => {
    expect(withoutMount('/v2/a/b/blobs/uploads/?mount=sha256:ab&from=c/d')).toBe('/v2/a/b/blobs/uploads/');
    expect(withoutMount('/v2/a/b/blobs/uploads/?mount=sha256:ab&from=c/d&x=1')).toBe('/v2/a/b/blobs/uploads/?x=1');
    expect(withoutMount('/v2/a/b/blobs/uploads/')).toBe('/v2/a/b/blobs/uploads/');
  });
});

describe('splitRepository', () => {
  it('takes the first component as the namespace', () => {
    expect(splitRepository('ns/app')).toEqual({ namespace: 'ns', name: 'app' });
    expect(splitRepository('ns/x/y')).toEqual({ namespace: 'ns', name: 'x/y' });
  });
});
