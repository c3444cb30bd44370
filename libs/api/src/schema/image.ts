import * as z from 'zod/mini';
import { atomicList, cel, setList } from './k8s.ts';
import { kubernetesObject } from './meta.ts';
import { configOpenShiftGroupVersion } from '../names.ts';

/** A registry as listed in registrySources: hostname[:port][/path], or *.wildcard, without tags or digests. */
export const registryScopePattern =
  /^\*(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+$|^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)?(?::[0-9]+)?)(?:(?:\/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?$/;

const registryScope = cel(z.string().check(z.minLength(1), z.maxLength(256)), {
  rule: `self.matches('${registryScopePattern.source.replaceAll('\\', '\\\\')}')`,
  message:
    'each registry must be a valid hostname[:port][/path] or wildcard *.hostname format without tags or digests',
  check: (self) => registryScopePattern.test(self),
});

const registryList = (what: string) =>
  z.optional(atomicList(registryScope).check(z.maxLength(1024))).check(z.describe(what));

const importModes = ['', 'Legacy', 'PreserveOriginal'] as const;

export const imageSpec = z
  .object({
    allowedRegistriesForImport: z
      .optional(
        atomicList(
          z.object({
            domainName: z
              .optional(z.string())
              .check(
                z.describe(
                  'A registry domain, optionally with port; wildcards such as *.example.com are allowed.',
                ),
              ),
            insecure: z
              .optional(z.boolean())
              .check(z.describe('Whether the registry may be reached without verified TLS.')),
          }),
        ),
      )
      .check(z.describe('Registries users may import images from; empty allows all.')),
    externalRegistryHostnames: z
      .optional(atomicList(z.string()))
      .check(
        z.describe(
          'Extra hostnames of the internal registry, as hostname[:port]; the first one is shown as the public repository.',
        ),
      ),
    additionalTrustedCA: z
      .optional(z.object({ name: z.string().check(z.describe('The ConfigMap name.')) }))
      .check(
        z.describe(
          'A ConfigMap in openshift-config whose keys are registry hostnames (host..port for a port) and values PEM CA bundles to trust.',
        ),
      ),
    registrySources: z
      .optional(
        cel(
          z.object({
            insecureRegistries: registryList('Registries reached without verified TLS.'),
            blockedRegistries: registryList(
              'Registries no image may be pulled or pushed from; excludes allowedRegistries.',
            ),
            allowedRegistries: registryList(
              'The only registries images may be pulled or pushed from; excludes blockedRegistries.',
            ),
            containerRuntimeSearchRegistries: z
              .optional(setList(z.string().check(z.meta({ format: 'hostname' }))).check(z.minLength(1)))
              .check(z.describe('Registries searched for short image names.')),
          }),
          {
            rule: 'has(self.blockedRegistries) ? !has(self.allowedRegistries) : true',
            message: 'Only one of blockedRegistries or allowedRegistries may be set',
            check: (self) => self.blockedRegistries === undefined || self.allowedRegistries === undefined,
          },
        ),
      )
      .check(z.describe('How container runtimes treat individual registries.')),
    imageStreamImportMode: z
      .optional(z.enum(importModes))
      .check(z.describe('How image streams import manifest lists: Legacy or PreserveOriginal.')),
  })
  .check(z.describe('Cluster-wide image settings chosen by the administrator.'));

export const imageStatus = z
  .object({
    internalRegistryHostname: z
      .optional(z.string())
      .check(
        z.describe(
          'The registry’s in-cluster hostname[:port], e.g. image-registry.openshift-image-registry.svc:5000; empty when there is no registry.',
        ),
      ),
    externalRegistryHostnames: z
      .optional(atomicList(z.string()))
      .check(z.describe('The registry’s admitted external hostnames, the default route first.')),
    imageStreamImportMode: z.optional(z.enum(importModes)).check(z.describe('The effective import mode.')),
  })
  .check(z.describe('Image settings observed by the platform, including the internal registry’s hostnames.'));

export const image = kubernetesObject({
  apiVersion: configOpenShiftGroupVersion,
  kind: 'Image',
  spec: imageSpec,
  status: imageStatus,
});
export type Image = z.infer<typeof image>;
export type ImageInput = z.input<typeof image>;
export type ImageStatus = z.infer<typeof imageStatus>;
