import type { KubeClient, KubeObject, OwnWrites, Request } from '@image-registry/controller-runtime';
import type { WorkloadCaches } from './caches.ts';
import type { RegistryFlavour } from './render/flavour.ts';
import type { Outcome } from './status/conditions.ts';
import type { ServingTlsOptions } from './tls/serving-tls.ts';

export interface WorkloadOptions {
  /** The operand namespace. */
  namespace: string;
  flavour: RegistryFlavour;
  image: string;
  /** registry-auth's image (distribution flavour); undefined: its default. */
  authImage?: string | undefined;
  /** Stamped on the Deployment as `release.openshift.io/version`. */
  releaseVersion?: string | undefined;
  /** `service-ca`: OpenShift issues the serving certificate; `self-signed`: this app does. */
  servingCert: 'service-ca' | 'self-signed';
  tls?: ServingTlsOptions | undefined;
  now?: () => Date;
  random?: (n: number) => Uint8Array;
  /** Rollout steps are published at most this often (status/rollout-hold.ts); default 2 s. */
  rolloutStatusIntervalMs?: number;
}

/** What every part of a pass reads: the client, the caches, the options. */
export interface WorkloadContext {
  client: KubeClient;
  caches: WorkloadCaches;
  opts: WorkloadOptions;
  /** The Config and Deployment as this app last wrote them, while the caches lag behind. */
  writes: OwnWrites<KubeObject>;
  now: () => Date;
  /** A key in the operand namespace. */
  inNs(name: string): Request;
}

/** Where a pass ended: the outcome for the conditions, whether the generation was acted on, when to look again. */
export interface Pass {
  outcome: Outcome;
  acted: boolean;
  requeueAfterMs?: number;
  /** A transient failure, thrown after the status is written so the key is retried with backoff. */
  failure?: unknown;
}

export interface DataObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  type?: string;
}
