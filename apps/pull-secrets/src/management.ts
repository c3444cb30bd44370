import type { ConfigObject } from './resources.ts';

/** What the app does: converge (`Managed`), take back what it injected (`Removed`), or hold still. */
export type Mode = 'Managed' | 'Removed' | 'Unmanaged';

/**
 * The mode from `--management-state` and Config/cluster: the flag `Removed` wins (the admin told this app
 * to stop); otherwise the Config's managementState (`Force` means Managed). No Config (plain Kubernetes
 * before registry-workload bootstraps it) is Managed: pull secrets do not need the registry to exist.
 */
export function modeOf(flag: 'Managed' | 'Removed', config: ConfigObject | undefined): Mode {
  if (flag === 'Removed') return 'Removed';
  const state = config?.spec?.managementState;
  if (state === 'Removed') return 'Removed';
  if (state === 'Unmanaged') return 'Unmanaged';
  return 'Managed';
}
