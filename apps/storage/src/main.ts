import { runApp } from '@image-registry/controller-runtime';
import { bool, seconds, storageFlags, text } from './flags.ts';
import { addStorageController } from './storage.controller.ts';

await runApp({
  name: 'storage',
  extraFlags: storageFlags,
  setup: async (mgr, opts) => {
    await addStorageController(mgr, {
      namespace: opts.namespace,
      configNamespace: String(opts.extra['config-namespace']),
      infrastructureName: text(opts.extra['infrastructure-name']),
      useClusterProxy: bool('use-cluster-proxy', opts.extra['use-cluster-proxy']),
      degradedAfterMs: seconds('degraded-after-seconds', opts.extra['degraded-after-seconds']),
      drivers: {
        gcsEndpoint: text(opts.extra['gcs-endpoint']),
        azureBlobEndpoint: text(opts.extra['azure-blob-endpoint']),
        stsEndpoint: text(opts.extra['sts-endpoint']),
      },
    });
  },
});
