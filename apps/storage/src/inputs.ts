import { platformFromProviderIDs, singletonName, type Config } from '@image-registry/api';
import { Resources, type KubeClient } from '@image-registry/controller-runtime';
import { clusterFacts, derivedInfrastructureName, type ClusterFacts } from './cluster.ts';
import { cloudSecretName, decodeSecretData, userSecretName } from './credentials/sources.ts';
import { StorageError, storageExistsCondition } from './drivers/driver.ts';
import type { DriverInputs } from './drivers/factory.ts';
import { proxyVariables, type ProxyEnv } from './drivers/proxy.ts';
import type { ObjectReader } from './object-reader.ts';
import { InfrastructureResource, ProxyResource } from './resources.ts';
import type { Backend } from './storage-types.ts';

export interface InputsOptions {
  client: KubeClient;
  reader: ObjectReader;
  namespace: string;
  configNamespace: string;
  infrastructureName: string | undefined;
  infrastructureApi: boolean;
  /** Read Proxy/cluster and send the cloud calls through its proxy (`--use-cluster-proxy`). */
  useClusterProxy: boolean;
  /** This process's environment: proxy variables and workload identity. */
  env: Readonly<Record<string, string | undefined>>;
}

/** Reads what provisioning depends on besides the Config: cluster facts, credentials, the CA bundle, the proxy. */
export class Inputs {
  private readonly opts: InputsOptions;
  private derivedName: string | undefined;

  constructor(opts: InputsOptions) {
    this.opts = opts;
  }

  /** Facts from Infrastructure/cluster; its infrastructure name wins over the flag, then the derived name. */
  async cluster(): Promise<ClusterFacts> {
    const infra = this.opts.infrastructureApi
      ? await this.opts.reader.get(InfrastructureResource, { name: singletonName })
      : undefined;
    const fromInfra = (infra as { status?: { infrastructureName?: string } } | undefined)?.status
      ?.infrastructureName;
    const name = fromInfra || this.opts.infrastructureName || (await this.derivedInfrastructureName());
    return clusterFacts(infra, name);
  }

  /** The platform of a cluster without Infrastructure/cluster, from its nodes (read once, only when needed). */
  async platformFromNodes(): Promise<string> {
    const nodes = await this.opts.client.list(Resources.Node, { limit: 20 });
    return platformFromProviderIDs(
      nodes.items.map((n) => (n as { spec?: { providerID?: string } }).spec?.providerID),
    );
  }

  async driverInputs(config: Config, backend: Backend, cluster: ClusterFacts): Promise<DriverInputs> {
    const { namespace, env } = this.opts;
    const secret = async (name: string) =>
      decodeSecretData(
        (await this.opts.reader.get(Resources.Secret, { namespace, name })) as
          { data?: Record<string, string> } | undefined,
      );
    return {
      cluster,
      credentials: {
        namespace,
        user: await secret(userSecretName),
        cloud: await secret(cloudSecretName),
        env,
      },
      s3CABundle: backend === 's3' ? await this.trustedCA(config) : undefined,
      replicas: config.spec.replicas,
      rolloutStrategy: config.spec.rolloutStrategy,
      proxyEnv: await this.proxyEnv(),
    };
  }

  /**
   * The cluster Proxy's `status` (httpProxy, httpsProxy, noProxy) when told to use it and it names a
   * proxy; else this process's own proxy variables, as the platform injects them.
   */
  async proxyEnv(): Promise<ProxyEnv> {
    if (this.opts.useClusterProxy) {
      const proxy = (await this.opts.reader.get(ProxyResource, { name: singletonName })) as
        { status?: { httpProxy?: string; httpsProxy?: string; noProxy?: string } } | undefined;
      const s = proxy?.status;
      if (s?.httpProxy || s?.httpsProxy)
        return proxyVariables({ HTTP_PROXY: s.httpProxy, HTTPS_PROXY: s.httpsProxy, NO_PROXY: s.noProxy });
    }
    return proxyVariables(this.opts.env);
  }

  /** The PEM bundle of `spec.storage.s3.trustedCA` (key `ca-bundle.crt` of a ConfigMap in the config namespace). */
  private async trustedCA(config: Config): Promise<string | undefined> {
    const name = config.spec.storage?.s3?.trustedCA?.name;
    if (!name) return undefined;
    const ns = this.opts.configNamespace;
    // A live read: the ConfigMap is named by the user, so it is neither cached nor watched (its changes
    // are picked up by the periodic resync or the next Config change).
    const cm = (await this.opts.client.get(Resources.ConfigMap, { namespace: ns, name })) as
      { data?: Record<string, string> } | undefined;
    const bundle = cm?.data?.['ca-bundle.crt'];
    if (!bundle) {
      const message = cm
        ? `configmap "${ns}/${name}" (spec.storage.s3.trustedCA) has no key "ca-bundle.crt"`
        : `configmap "${ns}/${name}" (spec.storage.s3.trustedCA) does not exist`;
      throw new StorageError(message, {
        conditions: [storageExistsCondition('Unknown', 'ConfigError', message)],
        retriable: false,
      });
    }
    return bundle;
  }

  private async derivedInfrastructureName(): Promise<string> {
    if (!this.derivedName) {
      const ns = await this.opts.client.get(Resources.Namespace, { name: 'kube-system' });
      this.derivedName = derivedInfrastructureName(ns?.metadata?.uid ?? '');
    }
    return this.derivedName;
  }
}
