import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { crdDefinitions, crdFileName } from './definitions.ts';
import type { CrdDefinition } from './definitions.ts';
import { resources } from '../names.ts';
import { crdDirectory } from './generate.ts';
import { renderAllCrds, renderCrd } from './render.ts';

type Schema = { [k: string]: unknown; properties?: Record<string, Schema>; items?: Schema };
interface Version {
  schema: { openAPIV3Schema: Schema };
  subresources: unknown;
  additionalPrinterColumns: { name: string; jsonPath: string }[];
}

function firstVersion(definition: CrdDefinition): Version {
  const version = (renderCrd(definition) as { spec: { versions: Version[] } }).spec.versions[0];
  if (version === undefined) throw new Error(`${crdFileName(definition)} has no version`);
  return version;
}

function versionOf(kind: string): Version {
  const definition = crdDefinitions.find((d) => resources[d.resource].kind === kind);
  if (definition === undefined) throw new Error(`no CRD for ${kind}`);
  return firstVersion(definition);
}

/** The schema node at a dotted path; `[]` steps into array items. */
function at(schema: Schema, path: string): Schema {
  return path.split('.').reduce<Schema>((node, key) => {
    const next = key === '[]' ? node.items : node.properties?.[key];
    if (next === undefined) throw new Error(`no schema at ${path} (stopped at ${key})`);
    return next;
  }, schema);
}

describe('deploy/crds', () => {
  it('holds exactly what the generator writes (run `npx nx run @image-registry/api:generate-crds` after a schema change)', () => {
    const rendered = renderAllCrds();
    const checkedIn = readdirSync(crdDirectory)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(checkedIn).toEqual([...rendered.keys()].sort());
    for (const [name, text] of rendered) {
      expect(readFileSync(join(crdDirectory, name), 'utf8'), `${name} is stale`).toBe(text);
    }
  });

  it('renders byte-identical YAML twice in a row', () => {
    expect([...renderAllCrds()]).toEqual([...renderAllCrds()]);
  });

  it('names one file per CRD after its group and plural', () => {
    expect(crdDefinitions.map(crdFileName)).toContain('imageregistry.operator.openshift.io_configs.yaml');
    expect(new Set(crdDefinitions.map(crdFileName)).size).toBe(crdDefinitions.length);
  });
});

describe('the Config CRD', () => {
  const version = versionOf('Config');
  const schema = version.schema.openAPIV3Schema;

  it('has a status subresource and the columns an admin wants in kubectl get', () => {
    expect(version.subresources).toEqual({ status: {} });
    expect(version.additionalPrinterColumns.map((c) => c.name)).toEqual([
      'Management',
      'Replicas',
      'Storage',
      'Available',
      'Progressing',
      'Degraded',
      'Age',
    ]);
  });

  it('pins the name to cluster', () => {
    expect(at(schema, 'metadata')).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', enum: ['cluster'] } },
    });
  });

  it('makes conditions a map list keyed by type so each app owns its own entries', () => {
    expect(at(schema, 'status.conditions')).toMatchObject({
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    });
    expect(at(schema, 'status.conditions.[]')['required']).toEqual(['lastTransitionTime', 'status', 'type']);
  });

  it('allows at most one storage backend in spec and status', () => {
    for (const path of ['spec.storage', 'status.storage']) {
      expect(JSON.stringify(at(schema, path)['x-kubernetes-validations'])).toContain('has(self.emptyDir)');
    }
  });

  it('keeps Kubernetes defaults and formats: logLevel Normal, int32 replicas from 0, date-time times', () => {
    expect(at(schema, 'spec.logLevel')).toMatchObject({
      default: 'Normal',
      enum: ['', 'Normal', 'Debug', 'Trace', 'TraceAll'],
    });
    expect(at(schema, 'spec.replicas')).toEqual({
      type: 'integer',
      format: 'int32',
      minimum: 0,
      description: expect.any(String),
    });
    expect(at(schema, 'status.conditions.[].lastTransitionTime')).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    expect(at(schema, 'status.conditions.[].lastTransitionTime')['pattern']).toBeUndefined();
  });

  it('keeps free-form fields as preserved unknown objects', () => {
    expect(at(schema, 'spec.unsupportedConfigOverrides')).toMatchObject({
      type: 'object',
      nullable: true,
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });
});

describe('every CRD', () => {
  it.each(crdDefinitions.map((d) => ({ definition: d, name: crdFileName(d) })))(
    '$name describes every field for kubectl explain',
    ({ definition }) => {
      const undescribed: string[] = [];
      const walk = (node: Schema, path: string) => {
        for (const [name, child] of Object.entries(node.properties ?? {})) {
          const here = `${path}.${name}`;
          if (
            !['.apiVersion', '.kind', '.metadata'].includes(here) &&
            typeof child['description'] !== 'string'
          )
            undescribed.push(here);
          walk(child, here);
          if (child.items !== undefined) walk(child.items, `${here}[]`);
        }
      };
      const version = firstVersion(definition);
      walk(version.schema.openAPIV3Schema, '');
      expect(undescribed).toEqual([]);
    },
  );

  it.each(crdDefinitions.map((d) => ({ definition: d, name: crdFileName(d) })))(
    '$name is valid YAML with a v1 schema',
    ({ name }) => {
      const text = renderAllCrds().get(name) ?? '';
      const crd = parse(text) as {
        apiVersion: string;
        spec: { versions: { name: string; storage: boolean }[] };
      };
      expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
      expect(crd.spec.versions).toEqual([expect.objectContaining({ name: 'v1', storage: true })]);
    },
  );
});
