// The routes app: the registry's external routes (Routes or Ingresses) and its hostnames in the image config.
import { runApp } from '@image-registry/controller-runtime';
import { discoverBackend, plural, watchBackend } from './api-discovery.ts';
import { setupRoutesApp } from './app.ts';
import { appName, parseRoutesFlags, routesFlags } from './flags.ts';
import { observeRoutes } from './observability.ts';
import { IngressConfigResource } from './resources.ts';

await runApp({
  name: appName,
  extraFlags: routesFlags,
  async setup(mgr, opts) {
    const flags = parseRoutesFlags(opts.extra);
    const backend =
      flags.routeApi === 'route' ? 'Route' : flags.routeApi === 'ingress' ? 'Ingress' : await discoverBackend(mgr.client);
    mgr.logger.info({ backend, routeApi: flags.routeApi }, `exposing the registry with ${plural(backend)}`);
    // An informer on an API that is not served would never sync.
    const ingressConfigServed = backend === 'Route' && (await mgr.client.serves(IngressConfigResource));
    setupRoutesApp(mgr, { ...flags, namespace: opts.namespace, backend, ingressConfigServed });
    observeRoutes(mgr, opts.namespace, backend);
    if (flags.routeApi === 'auto') {
      watchBackend({
        client: mgr.client,
        current: backend,
        intervalMs: flags.discoveryIntervalMs,
        logger: mgr.logger,
        // The graceful path: drain, release the lease, exit 0; the Deployment starts it again.
        onChange: () => process.kill(process.pid, 'SIGTERM'),
      });
    }
  },
});
