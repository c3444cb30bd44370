import { OptionsError } from '@image-registry/controller-runtime';
import { describe, expect, it } from 'vitest';
import { parseAnnotations, parseRoutesFlags } from './flags.ts';

describe('routes flags', () => {
  it('has defaults that discover the API every minute', () => {
    expect(parseRoutesFlags({})).toEqual({
      routeApi: 'auto',
      discoveryIntervalMs: 60_000,
      domain: '',
      ingressClassName: '',
      annotations: {},
    });
  });

  it('parses annotations whose values contain =', () => {
    expect(
      parseAnnotations('nginx.ingress.kubernetes.io/backend-protocol=HTTPS, traefik.ingress.kubernetes.io/router.tls=true,a/b=x=y'),
    ).toEqual({
      'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
      'traefik.ingress.kubernetes.io/router.tls': 'true',
      'a/b': 'x=y',
    });
  });

  it('rejects bad values naming the flag', () => {
    expect(() => parseRoutesFlags({ 'route-api': 'gateway' })).toThrow(/--route-api must be auto, route or ingress/);
    expect(() => parseRoutesFlags({ 'default-route-domain': 'Apps_Example' })).toThrow(/--default-route-domain/);
    expect(() => parseRoutesFlags({ 'api-discovery-interval': '10' })).toThrow(/--api-discovery-interval/);
    expect(() => parseAnnotations('novalue')).toThrow(OptionsError);
  });
});
