import type { V1PodSecurityContext, V1SecurityContext } from '@kubernetes/client-node';
import { InvalidConfigError } from './errors.ts';
import { annotations } from './names.ts';

/** The user and group the registry runs as where no SCC assigns one (plain Kubernetes). */
export const defaultRunAsUser = 1001;

/**
 * Pod security that passes the `restricted` Pod Security Standard on plain Kubernetes and
 * OpenShift's restricted-v2 SCC. On OpenShift the namespace's supplemental-groups annotation gives the
 * fsGroup (as upstream) and the SCC picks the UID; elsewhere a fixed non-root UID/GID is used, since
 * the CNCF registry image would otherwise run as root.
 */
export function podSecurityContext(namespaceAnnotations: Record<string, string> | undefined): V1PodSecurityContext {
  const base: V1PodSecurityContext = {
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
    fsGroupChangePolicy: 'OnRootMismatch',
  };
  const groups = namespaceAnnotations?.[annotations.supplementalGroups];
  if (groups === undefined) {
    return { ...base, runAsUser: defaultRunAsUser, runAsGroup: defaultRunAsUser, fsGroup: defaultRunAsUser };
  }
  const first = groups.split('/')[0] ?? '';
  const gid = Number(first);
  if (!groups.includes('/') || !/^\d+$/.test(first) || !Number.isSafeInteger(gid)) {
    throw new InvalidConfigError(
      `namespace annotation ${annotations.supplementalGroups}`,
      `generate security context for deployment config: ${JSON.stringify(groups)} must look like "1000430000/10000"`,
    );
  }
  return { ...base, fsGroup: gid };
}

export function containerSecurityContext(): V1SecurityContext {
  return {
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}
