// The pull-secrets app: a managed image pull secret for every ServiceAccount, and per-namespace pull rights.
import { operatorLogLevelOf, processLogLevel } from '@image-registry/api';
import { OptionsError, followLogLevel, runApp } from '@image-registry/controller-runtime';
import { appName, parseSettings, pullSecretsFlags } from './flags.ts';
import { setupPullSecrets } from './pull-secrets.controller.ts';
import { ConfigResource, ImageResource } from './resources.ts';

await runApp({
  name: appName,
  extraFlags: pullSecretsFlags,
  async setup(mgr, opts) {
    let settings;
    try {
      settings = parseSettings(opts.extra);
    } catch (err) {
      if (!(err instanceof OptionsError)) throw err;
      process.stderr.write(`${appName}: ${err.message}\n`);
      process.exit(2);
    }
    // Optional APIs: an informer on an API the cluster does not serve would never sync.
    const [imageApi, configApi] = await Promise.all([mgr.client.serves(ImageResource), mgr.client.serves(ConfigResource)]);
    setupPullSecrets(mgr, { ...settings, namespace: opts.namespace, imageApi, configApi });
    // spec.operatorLogLevel raises the log level live (its Warning Events are in events.ts).
    if (configApi) followLogLevel(mgr, ConfigResource, 'cluster', (c) => processLogLevel(operatorLogLevelOf(c)));
  },
});
