// Entry point of the registry-workload app: flags → manager → the workload controller.
import { runApp } from '@image-registry/controller-runtime';
import { parseWorkloadFlags, resolveWorkloadSetup, workloadFlags } from './options.ts';
import { setupWorkload } from './workload.controller.ts';

await runApp({
  name: 'registry-workload',
  extraFlags: workloadFlags,
  async setup(mgr, opts) {
    const setup = await resolveWorkloadSetup(mgr.client, opts.namespace, parseWorkloadFlags(opts.extra));
    mgr.logger.info(
      { namespace: setup.namespace, flavour: setup.flavour, image: setup.image, servingCert: setup.servingCert },
      'registry-workload configured',
    );
    setupWorkload(mgr, setup);
  },
});
