import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Action } from './route.ts';

/** How a request was decided: allowed through, or why not. */
export type Decision = 'allowed' | 'unauthenticated' | 'denied' | 'invalid' | 'unavailable';

const actions: (Action | 'other')[] = ['pull', 'push', 'delete', 'catalog', 'base', 'health', 'other'];
const decisions: Decision[] = ['allowed', 'unauthenticated', 'denied', 'invalid', 'unavailable'];

/** The proxy's own metrics, pre-initialised to zero so dashboards show every series from the start. */
export class ProxyMetrics {
  readonly requests: Counter<'verb' | 'decision'>;
  readonly cacheLookups: Counter<'review' | 'result'>;
  readonly reviewDuration: Histogram<'review'>;
  readonly reviewErrors: Counter<'review'>;
  readonly upstreamDuration: Histogram<'verb'>;
  readonly upstreamErrors: Counter<'verb'>;
  readonly inFlight: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'registry_auth_requests_total',
      help: 'Registry requests by action (pull, push, delete, catalog, base, health, other) and decision',
      labelNames: ['verb', 'decision'],
      registers,
    });
    this.cacheLookups = new Counter({
      name: 'registry_auth_review_cache_lookups_total',
      help: 'TokenReview (review="token") and SubjectAccessReview (review="access") cache lookups by result (hit, miss)',
      labelNames: ['review', 'result'],
      registers,
    });
    this.reviewDuration = new Histogram({
      name: 'registry_auth_review_duration_seconds',
      help: 'Latency of TokenReview and SubjectAccessReview calls to the API server',
      labelNames: ['review'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.reviewErrors = new Counter({
      name: 'registry_auth_review_errors_total',
      help: 'Review calls that got no answer (the requests failed closed with 503)',
      labelNames: ['review'],
      registers,
    });
    this.upstreamDuration = new Histogram({
      name: 'registry_auth_upstream_duration_seconds',
      help: 'Time from forwarding a request to the registry until its response headers arrive, by action',
      labelNames: ['verb'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.upstreamErrors = new Counter({
      name: 'registry_auth_upstream_errors_total',
      help: 'Requests the registry did not answer (502 to the client), by action',
      labelNames: ['verb'],
      registers,
    });
    this.inFlight = new Gauge({
      name: 'registry_auth_in_flight_requests',
      help: 'Requests being served, uploads and downloads included',
      registers,
    });
    for (const verb of actions) {
      for (const decision of decisions) this.requests.inc({ verb, decision }, 0);
      this.upstreamErrors.inc({ verb }, 0);
    }
    for (const review of ['token', 'access']) {
      for (const result of ['hit', 'miss']) this.cacheLookups.inc({ review, result }, 0);
      this.reviewErrors.inc({ review }, 0);
    }
  }
}
