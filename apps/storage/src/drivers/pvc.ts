import type { DesiredCondition } from '@image-registry/conditions';
import type { PvcStorage } from '../storage-types.ts';
import {
  StorageError,
  errorMessage,
  storageExistsCondition,
  type Completion,
  type CreateResult,
  type ExistsResult,
  type RemoveResult,
  type StorageDriver,
  type StorageManagementState,
} from './driver.ts';

export { defaultClaimName } from '@image-registry/api';
import { defaultClaimName } from '@image-registry/api';
/** Upstream's ownership marker on a claim the operator created. */
export const ownershipAnnotation = 'imageregistry.openshift.io';
export const defaultClaimSize = '100Gi';

export interface PersistentVolumeClaim {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec?: {
    accessModes?: string[];
    resources?: { requests?: Record<string, string> };
    storageClassName?: string;
  };
}

/** Claims in the operand namespace. */
export interface ClaimApi {
  get(name: string): Promise<PersistentVolumeClaim | undefined>;
  create(claim: PersistentVolumeClaim): Promise<void>;
  /** False when it did not exist. */
  delete(name: string): Promise<boolean>;
}

export interface PvcDriverOptions {
  namespace: string;
  claims: ClaimApi;
  /** `spec.replicas` and `spec.rolloutStrategy` of the Config: a ReadWriteOnce claim allows one pod at a time. */
  replicas: number;
  rolloutStrategy: string | undefined;
}

/**
 * The access mode of a claim this app creates: ReadWriteOnce for one registry pod replaced on rollout
 * (upstream's claim on OpenStack and oVirt, where block storage offers no RWX), else ReadWriteMany.
 */
export function claimAccessMode(replicas: number, rolloutStrategy: string | undefined): string {
  return replicas <= 1 && rolloutStrategy === 'Recreate' ? 'ReadWriteOnce' : 'ReadWriteMany';
}

/** The claim this app creates: on the cluster's default storage class, 100Gi, marked as ours. */
export function desiredClaim(
  name: string,
  namespace: string,
  accessMode = 'ReadWriteMany',
): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace,
      annotations: { [ownershipAnnotation]: 'true' },
      labels: { 'app.kubernetes.io/managed-by': 'image-registry-operator' },
    },
    spec: { accessModes: [accessMode], resources: { requests: { storage: defaultClaimSize } } },
  };
}

/** Why a claim cannot back the registry as configured, or undefined when it can. */
export function accessModeProblem(
  claim: PersistentVolumeClaim,
  replicas: number,
  rolloutStrategy: string | undefined,
): string | undefined {
  const modes = claim.spec?.accessModes ?? [];
  if (modes.includes('ReadWriteMany')) return undefined;
  if (modes.includes('ReadWriteOnce')) {
    if (replicas > 1)
      return 'cannot use ReadWriteOnce access mode with more than one replica of the image registry';
    const strategy = rolloutStrategy || 'RollingUpdate';
    if (strategy !== 'Recreate')
      return `cannot use ReadWriteOnce access mode with ${strategy} rollout strategy`;
    return undefined;
  }
  return `PVC ${claim.metadata?.name ?? ''} does not contain the necessary access modes: ReadWriteMany or ReadWriteOnce`;
}

export class PvcDriver implements StorageDriver<'pvc'> {
  readonly backend = 'pvc' as const;
  readonly displayName = 'PVC';
  private readonly opts: PvcDriverOptions;

  constructor(opts: PvcDriverOptions) {
    this.opts = opts;
  }

  completeConfiguration(spec: PvcStorage): Completion<PvcStorage> {
    const generatedName = !spec.claim;
    return { config: { ...spec, claim: spec.claim || defaultClaimName }, generatedName };
  }

  id(config: PvcStorage): string {
    return config.claim ?? '';
  }

  async storageExists(config: PvcStorage): Promise<ExistsResult> {
    const claim = await this.get(config.claim ?? '');
    return claim
      ? {
          exists: true,
          condition: storageExistsCondition('True', 'PVC Exists', `PVC ${config.claim} exists`),
        }
      : {
          exists: false,
          condition: storageExistsCondition(
            'False',
            'PVC does not exist',
            `PVC ${config.claim} does not exist in namespace ${this.opts.namespace}`,
          ),
        };
  }

  async createStorage(
    config: PvcStorage,
    managementState: StorageManagementState,
    exists: boolean,
  ): Promise<CreateResult<PvcStorage>> {
    const name = config.claim ?? defaultClaimName;
    let claim = exists ? await this.get(name) : undefined;
    let created = false;
    if (!claim) {
      if (managementState !== 'Managed') {
        const message = `PVC ${name} does not exist in namespace ${this.opts.namespace}; create it or remove spec.storage.pvc.claim to let the operator create one`;
        throw new StorageError(message, {
          conditions: [storageExistsCondition('False', 'PVC does not exist', message)],
          retriable: false,
        });
      }
      claim = desiredClaim(
        name,
        this.opts.namespace,
        claimAccessMode(this.opts.replicas, this.opts.rolloutStrategy),
      );
      try {
        await this.opts.claims.create(claim);
      } catch (err) {
        throw new StorageError(`creating PVC ${name}: ${errorMessage(err)}`, {
          conditions: [
            storageExistsCondition(
              'Unknown',
              'Unknown error occurred',
              `creating PVC ${name}: ${errorMessage(err)}`,
            ),
          ],
          cause: err,
        });
      }
      created = true;
    } else if (
      managementState === 'Managed' &&
      claim.metadata?.annotations?.[ownershipAnnotation] === undefined
    ) {
      const message = 'could not create default PVC, it already exists and is not owned by the operator';
      throw new StorageError(message, {
        conditions: [storageExistsCondition('False', 'PVC Already Exists', message)],
        retriable: false,
      });
    }
    const problem = accessModeProblem(claim, this.opts.replicas, this.opts.rolloutStrategy);
    if (problem) {
      throw new StorageError(problem, {
        conditions: [storageExistsCondition('False', 'PVC Issues Found', problem)],
        retriable: false,
      });
    }
    const condition: DesiredCondition = created
      ? storageExistsCondition('True', 'PVC Created', `PVC ${name} was created`)
      : storageExistsCondition('True', 'PVC Exists', `PVC ${name} exists`);
    return { config: { ...config, claim: name }, conditions: [condition], created };
  }

  async removeStorage(config: PvcStorage): Promise<RemoveResult> {
    const name = config.claim ?? '';
    try {
      const existed = await this.opts.claims.delete(name);
      return {
        condition: existed
          ? storageExistsCondition('False', 'PVC Deleted', 'The PVC has been removed.')
          : storageExistsCondition('False', 'PVC does not exist', 'The PVC did not exist.'),
      };
    } catch (err) {
      throw new StorageError(`deleting PVC ${name}: ${errorMessage(err)}`, {
        conditions: [
          storageExistsCondition(
            'Unknown',
            'Unknown error occurred',
            `deleting PVC ${name}: ${errorMessage(err)}`,
          ),
        ],
        cause: err,
      });
    }
  }

  privateConfiguration(): Record<string, string> {
    return {};
  }

  private async get(name: string): Promise<PersistentVolumeClaim | undefined> {
    try {
      return await this.opts.claims.get(name);
    } catch (err) {
      const message = `Unknown error occurred checking for volume claim ${name}: ${errorMessage(err)}`;
      throw new StorageError(message, {
        conditions: [storageExistsCondition('Unknown', 'Unknown error occurred', message)],
        cause: err,
      });
    }
  }
}
