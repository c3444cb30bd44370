import * as z from 'zod/mini';
import { kubernetesObject } from './meta.ts';
import { configOpenShiftGroupVersion } from '../names.ts';

export const tlsProtocolVersions = ['VersionTLS10', 'VersionTLS11', 'VersionTLS12', 'VersionTLS13'] as const;
export const tlsProfileTypes = ['Old', 'Intermediate', 'Modern', 'Custom'] as const;

const emptyProfile = z.object({}).check(z.describe('A predefined profile; holds no settings.'));

export const tlsSecurityProfile = z
  .object({
    type: z
      .optional(z.enum(tlsProfileTypes))
      .check(z.describe('Which profile applies: Old, Intermediate (the default), Modern or Custom.')),
    old: z.nullish(emptyProfile),
    intermediate: z.nullish(emptyProfile),
    modern: z.nullish(emptyProfile),
    custom: z
      .nullish(
        z.object({
          ciphers: z
            .optional(z.array(z.string()))
            .check(z.describe('Cipher suites, OpenSSL names (ECDHE-RSA-AES128-GCM-SHA256) or TLS 1.3 IANA names.')),
          minTLSVersion: z
            .optional(z.enum(tlsProtocolVersions))
            .check(z.describe('The oldest TLS version accepted.')),
        }),
      )
      .check(z.describe('The ciphers and minimum version when type is Custom.')),
  })
  .check(z.describe('The TLS settings servers of the cluster use; absent means Intermediate.'));
export type TlsSecurityProfile = z.infer<typeof tlsSecurityProfile>;

// Loose: the spec fields the registry does not read are kept, not dropped.
export const apiServerSpec = z
  .looseObject({
    tlsSecurityProfile: z.nullish(tlsSecurityProfile),
  })
  .check(z.describe('Cluster-wide API server settings; the registry reads only the TLS security profile.'));

export const apiServer = kubernetesObject({
  apiVersion: configOpenShiftGroupVersion,
  kind: 'APIServer',
  spec: apiServerSpec,
  status: z.looseObject({}).check(z.describe('Not used.')),
});
export type APIServer = z.infer<typeof apiServer>;

/** A profile's settings in IANA names (upstream's TLSProfiles, as library-go converts them). */
export interface ObservedServingInfo {
  minTLSVersion: (typeof tlsProtocolVersions)[number];
  cipherSuites: string[];
}

const tls13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

/** OpenSSL cipher names → IANA, as library-go's OpenSSLToIANACipherSuites; names missing here are dropped. */
const openSslToIana: Readonly<Record<string, string>> = {
  'TLS_AES_128_GCM_SHA256': 'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384': 'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256': 'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256': 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256': 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384': 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384': 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305': 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'ECDHE-RSA-CHACHA20-POLY1305': 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-SHA256': 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  'ECDHE-RSA-AES128-SHA256': 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  'ECDHE-ECDSA-AES128-SHA': 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'ECDHE-RSA-AES128-SHA': 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'ECDHE-ECDSA-AES256-SHA': 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'ECDHE-RSA-AES256-SHA': 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'AES128-GCM-SHA256': 'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'AES256-GCM-SHA384': 'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'AES128-SHA256': 'TLS_RSA_WITH_AES_128_CBC_SHA256',
  'AES128-SHA': 'TLS_RSA_WITH_AES_128_CBC_SHA',
  'AES256-SHA': 'TLS_RSA_WITH_AES_256_CBC_SHA',
  'DES-CBC3-SHA': 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
};

const ecdheAead = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];

/** The predefined profiles in OpenSSL names (DHE and other suites Go lacks are dropped on conversion). */
const profiles: Record<'Old' | 'Intermediate' | 'Modern', { minTLSVersion: ObservedServingInfo['minTLSVersion']; ciphers: string[] }> = {
  Old: {
    minTLSVersion: 'VersionTLS10',
    ciphers: [
      ...tls13,
      ...ecdheAead,
      'DHE-RSA-AES128-GCM-SHA256',
      'DHE-RSA-AES256-GCM-SHA384',
      'DHE-RSA-CHACHA20-POLY1305',
      'ECDHE-ECDSA-AES128-SHA256',
      'ECDHE-RSA-AES128-SHA256',
      'ECDHE-ECDSA-AES128-SHA',
      'ECDHE-RSA-AES128-SHA',
      'ECDHE-ECDSA-AES256-SHA384',
      'ECDHE-RSA-AES256-SHA384',
      'ECDHE-ECDSA-AES256-SHA',
      'ECDHE-RSA-AES256-SHA',
      'DHE-RSA-AES128-SHA256',
      'DHE-RSA-AES256-SHA256',
      'AES128-GCM-SHA256',
      'AES256-GCM-SHA384',
      'AES128-SHA256',
      'AES256-SHA256',
      'AES128-SHA',
      'AES256-SHA',
      'DES-CBC3-SHA',
    ],
  },
  Intermediate: { minTLSVersion: 'VersionTLS12', ciphers: [...tls13, ...ecdheAead, 'DHE-RSA-AES128-GCM-SHA256', 'DHE-RSA-AES256-GCM-SHA384'] },
  Modern: { minTLSVersion: 'VersionTLS13', ciphers: [...tls13] },
};

/**
 * `spec.observedConfig.servingInfo` for an APIServer's TLS security profile, as upstream's config
 * observer computes it: no APIServer, no profile, or Custom without settings → Intermediate.
 */
export function observedServingInfo(profile: TlsSecurityProfile | null | undefined): ObservedServingInfo {
  const type = profile?.type ?? 'Intermediate';
  const chosen =
    type === 'Custom'
      ? profile?.custom
        ? { minTLSVersion: profile.custom.minTLSVersion ?? 'VersionTLS12', ciphers: profile.custom.ciphers ?? [] }
        : profiles.Intermediate
      : profiles[type];
  const cipherSuites = [...new Set(chosen.ciphers.map((c) => openSslToIana[c]).filter((c): c is string => c !== undefined))];
  return { minTLSVersion: chosen.minTLSVersion, cipherSuites };
}
