import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ConditionMetrics } from './condition-metrics.ts';

const t = '2024-05-01T12:00:00Z';

async function series(registry: Registry): Promise<string[]> {
  const text = await registry.metrics();
  return text.split('\n').filter((l) => l.startsWith('image_registry_condition{'));
}

describe('ConditionMetrics', () => {
  it('exports 1 for the current status of every condition and 0 for the others', async () => {
    const registry = new Registry();
    new ConditionMetrics(registry).observe([
      { type: 'Removed', status: 'True', lastTransitionTime: t },
      { type: 'ImagePrunerDegraded', status: 'Unknown', lastTransitionTime: t },
    ]);
    expect(await series(registry)).toEqual([
      'image_registry_condition{type="Removed",status="True"} 1',
      'image_registry_condition{type="Removed",status="False"} 0',
      'image_registry_condition{type="Removed",status="Unknown"} 0',
      'image_registry_condition{type="ImagePrunerDegraded",status="True"} 0',
      'image_registry_condition{type="ImagePrunerDegraded",status="False"} 0',
      'image_registry_condition{type="ImagePrunerDegraded",status="Unknown"} 1',
    ]);
  });

  it('drops the series of a condition that no longer exists', async () => {
    const registry = new Registry();
    const metrics = new ConditionMetrics(registry);
    metrics.observe([
      { type: 'Removed', status: 'True', lastTransitionTime: t },
      { type: 'Available', status: 'True', lastTransitionTime: t },
    ]);
    metrics.observe([{ type: 'Available', status: 'False', lastTransitionTime: t }]);
    expect(await series(registry)).toEqual([
      'image_registry_condition{type="Available",status="True"} 0',
      'image_registry_condition{type="Available",status="False"} 1',
      'image_registry_condition{type="Available",status="Unknown"} 0',
    ]);
    metrics.observe([]);
    expect(await series(registry)).toEqual([]);
  });
});
