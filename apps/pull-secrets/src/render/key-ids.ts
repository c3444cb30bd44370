import { createHash, createPublicKey } from 'node:crypto';

/**
 * Key IDs of every PEM public key in `pem`, sorted: base64url (no padding) of SHA-256 over the PKIX DER
 * encoding, the derivation kube-apiserver uses for the `kid` of the tokens it signs.
 */
export function keyIdsFromPem(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN [A-Z ]*PUBLIC KEY-----[\s\S]*?-----END [A-Z ]*PUBLIC KEY-----/g) ?? [];
  const ids = new Set<string>();
  for (const block of blocks) {
    try {
      const der = createPublicKey(block).export({ type: 'spki', format: 'der' });
      ids.add(createHash('sha256').update(der).digest('base64url'));
    } catch {
      // A block that is not a public key cannot sign tokens; the others still count.
    }
  }
  return [...ids].sort();
}
