import { describe, expect, it } from 'vitest';
import { applyYaml, kubeRequest, testKubeConfig } from '@image-registry/testing';
import { crdDefinitions, crdName } from '../src/crd/definitions.ts';
import { renderCrd, renderCrdYaml } from '../src/crd/render.ts';

interface StoredCrd {
  spec: { versions: { schema: { openAPIV3Schema: unknown }; additionalPrinterColumns?: unknown }[] };
  status?: { conditions?: { type: string; status: string; message?: string }[] };
}

describe('generated CRDs on a real API server', () => {
  it.each(crdDefinitions.map((d) => ({ name: crdName(d), definition: d })))(
    '$name installs, is established and keeps its schema as generated',
    async ({ name, definition }) => {
      const kc = testKubeConfig();
      await applyYaml(kc, renderCrdYaml(definition), { fieldManager: 'crd-install' });
      await expect
        .poll(async () => {
          const crd = await kubeRequest<StoredCrd>(
            kc,
            'GET',
            `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
          );
          return Object.fromEntries((crd.status?.conditions ?? []).map((c) => [c.type, c.status]));
        })
        .toMatchObject({ Established: 'True', NamesAccepted: 'True' });

      const stored = await kubeRequest<StoredCrd>(
        kc,
        'GET',
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
      );
      expect(stored.status?.conditions?.find((c) => c.type === 'NonStructuralSchema')).toBeUndefined();
      const generated = renderCrd(definition) as unknown as StoredCrd;
      expect(stored.spec.versions[0]?.schema).toEqual(generated.spec.versions[0]?.schema);
      expect(stored.spec.versions[0]?.additionalPrinterColumns).toEqual(
        generated.spec.versions[0]?.additionalPrinterColumns,
      );
    },
  );
});
