// A whole app process around the mirror controller, for the leader-election and shutdown tests:
//   node test/support/mirror-app.ts --kubeconfig=… --namespace=… --metrics-bind-address=127.0.0.1:0
import { runApp } from '../../src/run-app.ts';
import { mirrorController } from './mirror-controller.ts';

await runApp({
  name: 'mirror-test',
  setup: (mgr, opts) => {
    mirrorController(mgr, opts.namespace);
  },
});
