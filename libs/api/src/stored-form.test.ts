import { describe, expect, it } from 'vitest';
import { storedForm } from './stored-form.ts';

describe('storedForm', () => {
  it('drops what the server drops: empty strings and lists, an empty matchLabels', () => {
    expect(storedForm([{ key: 'k', operator: 'Exists', effect: '', value: '' }])).toEqual([{ key: 'k', operator: 'Exists' }]);
    expect(
      storedForm({
        nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] },
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchLabels: {}, matchExpressions: [] } }] },
      }),
    ).toEqual({ nodeAffinity: {}, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: {} }] } });
  });

  it('keeps the rest as it is', () => {
    const tolerations = [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule', tolerationSeconds: 0 }];
    expect(storedForm(tolerations)).toEqual(tolerations);
  });
});
