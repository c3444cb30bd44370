import { randomBytes } from 'node:crypto';

/**
 * A new `spec.httpSecret`: 64 random bytes, lower-case hex (upstream-inventory §3.2). It signs
 * upload state, so every replica must share it and it must survive restarts: it lives in the Config.
 */
export function generateHttpSecret(random: (n: number) => Uint8Array = randomBytes): string {
  return Buffer.from(random(64)).toString('hex');
}
