import { Counter, Gauge, type Registry } from 'prom-client';

/** The app's own series, beside controller-runtime's (workqueue_depth is the queue depth). */
export class PullSecretMetrics {
  readonly refreshes: Counter<'reason'>;
  readonly tokenRequests: Counter<'result'>;
  readonly registryHosts: Gauge;
  readonly keyIds: Gauge;

  constructor(registry: Registry, managed: () => number) {
    this.refreshes = new Counter({
      name: 'image_registry_pull_secrets_refreshes_total',
      help: 'Pull secrets written with a new token, by why: new, hosts, keys, binding, expiring.',
      labelNames: ['reason'],
      registers: [registry],
    });
    for (const reason of ['new', 'hosts', 'keys', 'binding', 'expiring']) this.refreshes.inc({ reason }, 0);
    this.tokenRequests = new Counter({
      name: 'image_registry_pull_secrets_token_requests_total',
      help: 'TokenRequests sent, by result.',
      labelNames: ['result'],
      registers: [registry],
    });
    for (const result of ['success', 'error']) this.tokenRequests.inc({ result }, 0);
    new Gauge({
      name: 'image_registry_pull_secrets_managed',
      help: 'Managed pull secrets in the cache.',
      registers: [registry],
      collect() {
        this.set(managed());
      },
    });
    this.registryHosts = new Gauge({
      name: 'image_registry_pull_secrets_registry_hosts',
      help: 'Registry hosts every pull secret carries an entry for.',
      registers: [registry],
    });
    this.keyIds = new Gauge({
      name: 'image_registry_pull_secrets_signing_key_ids',
      help: 'Token signing key IDs the API server is known to use.',
      registers: [registry],
    });
  }
}
