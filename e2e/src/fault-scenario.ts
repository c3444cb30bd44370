// The configuration changes the fault test makes while the apps are being killed: what an admin does on
// a day (the seed documents' patches), plus ServiceAccounts coming and going and a switch of storage to
// S3, so kills land in every app's writes. Each step is one request; none waits for the system.
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeRequestError, kubeRequest } from '@image-registry/testing';

const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';
const prunerPath = '/apis/imageregistry.operator.openshift.io/v1/imagepruners/cluster';

export interface ScenarioEnd {
  /** Namespaces whose ServiceAccounts get pull secrets. */
  namespaces: string[];
  /** The routes the final spec asks for. */
  routes: string[];
  replicas: number;
  prunerSchedule: string;
}

export interface Step {
  what: string;
  run(): Promise<unknown>;
}

const merge = (kc: KubeConfig, path: string, patch: unknown) =>
  kubeRequest(kc, 'PATCH', path, patch, 'application/merge-patch+json');

const serviceAccount = (kc: KubeConfig, ns: string, name: string) =>
  kubeRequest(kc, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name } });

/** The ImagePruner is the pruner app's to create; until it has, the step waits for it (a few seconds). */
async function patchPruner(kc: KubeConfig, patch: unknown): Promise<unknown> {
  for (let i = 0; ; i++) {
    try {
      return await merge(kc, prunerPath, patch);
    } catch (err) {
      if (!(err instanceof KubeRequestError && err.status === 404) || i > 60) throw err;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

export function scenario(
  kc: KubeConfig,
  o: { s3Endpoint: string },
): { steps: Step[]; end: ScenarioEnd } {
  const [a, b] = ['faults-a', 'faults-b'];
  const steps: Step[] = [
    {
      what: `namespaces ${a} and ${b} with ServiceAccounts builder and deployer`,
      run: async () => {
        for (const ns of [a, b]) {
          await kubeRequest(kc, 'POST', '/api/v1/namespaces', { metadata: { name: ns } });
          for (const sa of ['builder', 'deployer']) await serviceAccount(kc, ns, sa);
        }
      },
    },
    {
      what: 'storage switched to S3 (MinIO), the bucket left for the storage app to name',
      run: () =>
        merge(kc, configPath, {
          spec: { storage: { emptyDir: null, s3: { region: 'us-east-1', regionEndpoint: o.s3Endpoint } } },
        }),
    },
    { what: 'replicas 2', run: () => merge(kc, configPath, { spec: { replicas: 2 } }) },
    { what: 'defaultRoute true', run: () => merge(kc, configPath, { spec: { defaultRoute: true } }) },
    {
      what: 'an extra route',
      run: () => merge(kc, configPath, { spec: { routes: [{ name: 'extra-route', hostname: 'extra.faults.test' }] } }),
    },
    {
      what: 'logLevel and operatorLogLevel Debug',
      run: () => merge(kc, configPath, { spec: { logLevel: 'Debug', operatorLogLevel: 'Debug' } }),
    },
    {
      what: `ServiceAccount ${a}/deployer deleted`,
      run: () => kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${a}/serviceaccounts/deployer`),
    },
    {
      what: 'nodeSelector and tolerations',
      run: () =>
        merge(kc, configPath, {
          spec: {
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ key: 'faults', operator: 'Exists', effect: 'NoSchedule' }],
          },
        }),
    },
    { what: 'the extra route removed', run: () => merge(kc, configPath, { spec: { routes: null } }) },
    {
      what: 'ImagePruner schedule',
      run: () => patchPruner(kc, { spec: { schedule: '15 */6 * * *' } }),
    },
    { what: `ServiceAccount ${b}/late created`, run: () => serviceAccount(kc, b, 'late') },
    { what: 'disableRedirect true', run: () => merge(kc, configPath, { spec: { disableRedirect: true } }) },
  ];
  return {
    steps,
    end: { namespaces: [a, b], routes: ['default-route'], replicas: 2, prunerSchedule: '15 */6 * * *' },
  };
}
