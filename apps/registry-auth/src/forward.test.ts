import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, upstreamRequestHeaders } from './forward.ts';

describe('upstreamRequestHeaders', () => {
  it('never passes credentials or hop-by-hop headers to the registry, and keeps Host', () => {
    const out = upstreamRequestHeaders(
      {
        host: 'image-registry.openshift-image-registry.svc:5000',
        authorization: 'Bearer secret',
        connection: 'keep-alive, x-private',
        'x-private': '1',
        'transfer-encoding': 'chunked',
        expect: '100-continue',
        'x-forwarded-host': 'evil',
        'content-type': 'application/octet-stream',
      },
      '10.0.0.7',
    );
    expect(out).toEqual({
      host: 'image-registry.openshift-image-registry.svc:5000',
      'content-type': 'application/octet-stream',
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '10.0.0.7',
    });
  });
});

describe('clientResponseHeaders', () => {
  it('passes a redirect to storage untouched', () => {
    const location = 'https://bucket.s3.example/blob?X-Amz-Signature=abc';
    expect(clientResponseHeaders({ location, 'content-length': '0', connection: 'close' })).toEqual({ location, 'content-length': '0' });
  });
});
