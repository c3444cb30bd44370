import type {
  V1Affinity,
  V1ResourceRequirements,
  V1Toleration,
  V1TopologySpreadConstraint,
} from '@kubernetes/client-node';
import { describe, expectTypeOf, it } from 'vitest';
import type { Config, ConfigInput, ImagePruner, OperatorCondition } from './index.ts';

describe('inferred types', () => {
  it('use client-node models for the embedded core types', () => {
    expectTypeOf<NonNullable<Config['spec']['tolerations']>>().toEqualTypeOf<V1Toleration[]>();
    expectTypeOf<NonNullable<Config['spec']['affinity']>>().toEqualTypeOf<V1Affinity>();
    expectTypeOf<NonNullable<Config['spec']['resources']>>().toEqualTypeOf<V1ResourceRequirements>();
    expectTypeOf<NonNullable<Config['spec']['topologySpreadConstraints']>>().toEqualTypeOf<
      V1TopologySpreadConstraint[]
    >();
    expectTypeOf<NonNullable<ImagePruner['spec']['tolerations']>>().toEqualTypeOf<V1Toleration[]>();
  });

  it('make defaulted fields required on read and optional on write', () => {
    expectTypeOf<Config['spec']['logLevel']>().toEqualTypeOf<
      '' | 'Normal' | 'Debug' | 'Trace' | 'TraceAll'
    >();
    expectTypeOf<ConfigInput['spec']['logLevel']>().toEqualTypeOf<
      '' | 'Normal' | 'Debug' | 'Trace' | 'TraceAll' | undefined
    >();
  });

  it('give conditions the shape @image-registry/conditions works with', () => {
    expectTypeOf<OperatorCondition>().toEqualTypeOf<{
      type: string;
      status: 'True' | 'False' | 'Unknown';
      lastTransitionTime: string;
      reason?: string | undefined;
      message?: string | undefined;
    }>();
  });
});
