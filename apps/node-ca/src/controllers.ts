// The node-ca controllers: image-registry-certificates and node-ca, in one process and one Lease.
import { Resources, runApp } from '@image-registry/controller-runtime';
import { setupCertificatesController } from './certificates.controller.ts';
import { ConfigConditions } from './config-conditions.ts';
import { appName, nodeCAFlags } from './flags.ts';
import { setupNodeCAController } from './node-ca.controller.ts';
import { observeNodeCA } from './observability.ts';
import { ConfigResource, names } from './resources.ts';

export async function runControllers(): Promise<void> {
  await runApp({
    name: appName,
    extraFlags: nodeCAFlags,
    async setup(mgr, opts) {
      const x = opts.extra;
      const configs = mgr.informer(ConfigResource, { fieldSelector: `metadata.name=${names.config}` });
      const conditions = new ConfigConditions(mgr.client, configs);
      const publish = String(x['publish-ca']);
      if (publish !== 'auto' && publish !== 'true' && publish !== 'false') {
        throw new Error(`--publish-ca must be auto, true or false, not "${publish}"`);
      }
      const publishedNamespace = String(x['published-ca-namespace']);
      const publishedNamespaceInUse =
        publish === 'true' || (publish === 'auto' && (await mgr.client.get(Resources.Namespace, { name: publishedNamespace })) !== undefined);
      mgr.logger.info({ publishedNamespace, publish: publishedNamespaceInUse }, 'publishing the registry CA as image-registry-ca: decided at start');
      setupCertificatesController(mgr, {
        publishedNamespaceInUse,
        namespace: opts.namespace,
        configNamespace: String(x['config-namespace']),
        publishedNamespace,
        publish,
        configs,
        conditions,
      });
      setupNodeCAController(mgr, {
        namespace: opts.namespace,
        image: String(x['node-ca-image']),
        hostMappings: x['host-mappings'] === true,
        privileged: x['node-ca-privileged'] === true,
        configs,
        conditions,
      });
      observeNodeCA(mgr, opts.namespace);
    },
  });
}
