import type { Condition } from '@image-registry/conditions';
import { Gauge, type Registry } from 'prom-client';

const statuses = ['True', 'False', 'Unknown'] as const;

/**
 * `image_registry_condition{type,status}`: one series per condition the ClusterOperator is computed from
 * (every Config condition, and every ImagePruner condition prefixed `ImagePruner`), in the
 * kube-state-metrics style: 1 on the condition's current status, 0 on the other two. Alerts select one
 * series (`{type="Removed",status="True"} == 1`). A condition that disappears loses its series, so a
 * stale value never fires an alert.
 */
export class ConditionMetrics {
  private readonly gauge: Gauge<'type' | 'status'>;
  private readonly types = new Set<string>();

  constructor(registry: Registry) {
    this.gauge = new Gauge({
      name: 'image_registry_condition',
      help: 'Conditions the image-registry ClusterOperator is aggregated from: 1 for the current status of each condition type, else 0.',
      labelNames: ['type', 'status'],
      registers: [registry],
    });
  }

  /** Replaces every series with the given conditions. */
  observe(conditions: readonly Condition[]): void {
    const seen = new Set<string>();
    for (const c of conditions) {
      // A duplicate type (invalid input) would overwrite itself; the first one counts, as in the union.
      if (seen.has(c.type)) continue;
      seen.add(c.type);
      for (const s of statuses) this.gauge.set({ type: c.type, status: s }, c.status === s ? 1 : 0);
    }
    for (const type of this.types) {
      if (!seen.has(type)) for (const s of statuses) this.gauge.remove({ type, status: s });
    }
    this.types.clear();
    for (const type of seen) this.types.add(type);
  }
}
