import { stringify } from 'yaml';
import { resources } from '../names.ts';
import { crdDefinitions, crdFileName, crdName } from './definitions.ts';
import type { CrdDefinition } from './definitions.ts';
import { toCrdSchema } from './json-schema.ts';
import type { JsonSchema } from './json-schema.ts';
import { structuralProblems } from './structural.ts';

export class CrdRenderError extends Error {
  override name = 'CrdRenderError';
}

const header = [
  '# Generated from the zod schemas in libs/api/src/schema by libs/api/src/crd/generate.ts.',
  '# Do not edit: change the schema and run `npx nx run @image-registry/api:generate-crds`.',
].join('\n');

/** The CustomResourceDefinition object for one definition. */
export function renderCrd(definition: CrdDefinition): Record<string, unknown> {
  const r = resources[definition.resource];
  const openAPIV3Schema = rootSchema(definition);
  const problems = structuralProblems(openAPIV3Schema);
  if (problems.length > 0) {
    throw new CrdRenderError(
      `the schema of ${crdName(definition)} is not structural:\n${problems.join('\n')}`,
    );
  }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: crdName(definition),
      labels: { 'app.kubernetes.io/part-of': 'image-registry-operator' },
    },
    spec: {
      group: r.group,
      names: {
        kind: r.kind,
        listKind: `${r.kind}List`,
        plural: r.plural,
        singular: definition.singular,
        ...(definition.shortNames === undefined ? {} : { shortNames: definition.shortNames }),
      },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      versions: [
        {
          name: r.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: definition.printerColumns,
          schema: { openAPIV3Schema },
        },
      ],
    },
  };
}

function rootSchema(definition: CrdDefinition): JsonSchema {
  const root = toCrdSchema(definition.schema);
  const properties = root['properties'] as Record<string, JsonSchema>;
  properties['apiVersion'] = {
    type: 'string',
    description: 'The versioned schema of this object; servers convert recognised older versions to it.',
  };
  properties['kind'] = {
    type: 'string',
    description: 'The REST resource this object represents, in CamelCase.',
  };
  // The API server validates metadata itself; a CRD may only restrict metadata.name (singletons do).
  properties['metadata'] = metadataSchema(properties['metadata']);
  return { ...root, description: definition.description };
}

function metadataSchema(generated: JsonSchema | undefined): JsonSchema {
  const name = (generated?.['properties'] as Record<string, JsonSchema> | undefined)?.['name'];
  if (name === undefined || name['enum'] === undefined) return { type: 'object' };
  return { type: 'object', properties: { name } };
}

/** The YAML text of one CRD file, stable byte for byte. */
export function renderCrdYaml(definition: CrdDefinition): string {
  return `${header}\n${stringify(renderCrd(definition), { sortMapEntries: true, lineWidth: 110, minContentWidth: 40 })}`;
}

/** Every CRD file by file name, plus the kustomization.yaml that lists them for the deploy overlays. */
export function renderAllCrds(): Map<string, string> {
  const files = new Map(crdDefinitions.map((d) => [crdFileName(d), renderCrdYaml(d)]));
  const list = [...files.keys()].sort().map((f) => `  - ${f}\n`).join('');
  files.set(
    'kustomization.yaml',
    `${header}\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${list}`,
  );
  return files;
}
