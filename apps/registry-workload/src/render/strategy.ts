import type { V1DeploymentStrategy } from '@kubernetes/client-node';
import { InvalidConfigError } from './errors.ts';

/**
 * The Deployment strategy (upstream-inventory §5.2). Two replicas get maxUnavailable 1 / maxSurge 1;
 * otherwise maxUnavailable is replicas − 1 so hard anti-affinity can never deadlock a rollout, but
 * never below 0 (upstream's `replicas: 0` produced an invalid -1).
 */
export function deploymentStrategy(rolloutStrategy: string | undefined, replicas: number): V1DeploymentStrategy {
  const type = rolloutStrategy || 'RollingUpdate';
  if (type === 'Recreate') return { type: 'Recreate' };
  if (type !== 'RollingUpdate') {
    throw new InvalidConfigError(
      'spec.rolloutStrategy',
      `${JSON.stringify(rolloutStrategy)} is not supported: use RollingUpdate or Recreate`,
    );
  }
  if (replicas === 2) return { type, rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } };
  return { type, rollingUpdate: { maxUnavailable: Math.max(0, replicas - 1), maxSurge: '25%' } };
}
