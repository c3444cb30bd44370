import { z } from 'zod';
import { atomicList, cel, setList } from './k8s.ts';
import { kubernetesObject } from './meta.ts';
import { configOpenShiftGroupVersion } from '../names.ts';

/** A registry as listed in registrySources: hostname[:port][/path], or *.wildcard, without tags or digests. */
export const registryScopePattern =
  /^\*(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+$|^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)?(?::[0-9]+)?)(?:(?:\/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?$/;

const registryScope = cel(z.string().min(1).max(256), {
  rule: `self.matches('${registryScopePattern.source.replaceAll('\\', '\\\\')}')`,
  message:
    'each registry must be a valid hostname[:port][/path] or wildcard *.hostname format without tags or digests',
  check: (self) => registryScopePattern.test(self),
});

const registryList = (what: string) => atomicList(registryScope).max(1024).optional().describe(what);

const importModes = ['', 'Legacy', 'PreserveOriginal'] as const;

export const imageSpec = z
  .object({
    allowedRegistriesForImport: atomicList(
      z.object({
        domainName: z
          .string()
          .optional()
          .describe('A registry domain, optionally with port; wildcards such as *.example.com are allowed.'),
        insecure: z
          .boolean()
          .optional()
          .describe('Whether the registry may be reached without verified TLS.'),
      }),
    )
      .optional()
      .describe('Registries users may import images from; empty allows all.'),
    externalRegistryHostnames: atomicList(z.string())
      .optional()
      .describe(
        'Extra hostnames of the internal registry, as hostname[:port]; the first one is shown as the public repository.',
      ),
    additionalTrustedCA: z
      .object({ name: z.string().describe('The ConfigMap name.') })
      .optional()
      .describe(
        'A ConfigMap in openshift-config whose keys are registry hostnames (host..port for a port) and values PEM CA bundles to trust.',
      ),
    registrySources: cel(
      z.object({
        insecureRegistries: registryList('Registries reached without verified TLS.'),
        blockedRegistries: registryList(
          'Registries no image may be pulled or pushed from; excludes allowedRegistries.',
        ),
        allowedRegistries: registryList(
          'The only registries images may be pulled or pushed from; excludes blockedRegistries.',
        ),
        containerRuntimeSearchRegistries: setList(z.string().meta({ format: 'hostname' }))
          .min(1)
          .optional()
          .describe('Registries searched for short image names.'),
      }),
      {
        rule: 'has(self.blockedRegistries) ? !has(self.allowedRegistries) : true',
        message: 'Only one of blockedRegistries or allowedRegistries may be set',
        check: (self) => self.blockedRegistries === undefined || self.allowedRegistries === undefined,
      },
    )
      .optional()
      .describe('How container runtimes treat individual registries.'),
    imageStreamImportMode: z
      .enum(importModes)
      .optional()
      .describe('How image streams import manifest lists: Legacy or PreserveOriginal.'),
  })
  .describe('Cluster-wide image settings chosen by the administrator.');

export const imageStatus = z
  .object({
    internalRegistryHostname: z
      .string()
      .optional()
      .describe(
        'The registry’s in-cluster hostname[:port], e.g. image-registry.openshift-image-registry.svc:5000; empty when there is no registry.',
      ),
    externalRegistryHostnames: atomicList(z.string())
      .optional()
      .describe('The registry’s admitted external hostnames, the default route first.'),
    imageStreamImportMode: z.enum(importModes).optional().describe('The effective import mode.'),
  })
  .describe('Image settings observed by the platform, including the internal registry’s hostnames.');

export const image = kubernetesObject({
  apiVersion: configOpenShiftGroupVersion,
  kind: 'Image',
  spec: imageSpec,
  status: imageStatus,
});
export type Image = z.infer<typeof image>;
export type ImageInput = z.input<typeof image>;
export type ImageStatus = z.infer<typeof imageStatus>;
