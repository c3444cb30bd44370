// The status app: aggregates every app's conditions into ClusterOperator/image-registry.
import { runApp } from '@image-registry/controller-runtime';
import { setupClusterOperatorController } from './cluster-operator.controller.ts';
import { appName, statusFlags } from './flags.ts';
import { observeStatus } from './observability.ts';

await runApp({
  name: appName,
  extraFlags: statusFlags,
  setup(mgr, opts) {
    setupClusterOperatorController(mgr, {
      namespace: opts.namespace,
      releaseVersion: String(opts.extra['release-version'] ?? ''),
    });
    observeStatus(mgr, opts.namespace);
  },
});
