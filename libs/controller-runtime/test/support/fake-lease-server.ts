import { Registry } from 'prom-client';
import type { LeaseClient } from '../../src/leader-election.ts';
import { runtimeMetrics } from '../../src/metrics.ts';
import type { KubeObject } from '../../src/objects.ts';
import type { HttpRequest, HttpResponse } from '../../src/transport.ts';

export interface Lease extends KubeObject {
  spec?: { holderIdentity?: string | null; leaseTransitions?: number; renewTime?: string; leaseDurationSeconds?: number };
}

/** One Lease on a pretend API server, with optimistic concurrency on resourceVersion. */
export class LeaseServer {
  lease: Lease | undefined;
  private rv = 1;

  client(who: { broken?: 'fail' | 'hang' }): LeaseClient {
    return {
      metrics: runtimeMetrics(new Registry()),
      leaseRequest: async (init: HttpRequest): Promise<HttpResponse> => {
        if (who.broken === 'fail') throw new Error('connection refused');
        if (who.broken === 'hang') {
          return new Promise((_r, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
        }
        return this.handle(init);
      },
    };
  }

  private handle(init: HttpRequest): HttpResponse {
    const ok = (status: number, body: unknown) => ({ status, headers: {}, body });
    if (init.method === 'GET') return this.lease ? ok(200, structuredClone(this.lease)) : ok(404, {});
    const body = structuredClone(init.body) as Lease;
    if (init.method === 'POST') {
      if (this.lease) return ok(409, {});
    } else if (body.metadata?.resourceVersion !== this.lease?.metadata?.resourceVersion) {
      return ok(409, {});
    }
    this.lease = { ...body, metadata: { ...body.metadata, resourceVersion: String(++this.rv) } };
    return ok(init.method === 'POST' ? 201 : 200, structuredClone(this.lease));
  }
}

