import { createRequire } from 'node:module';
import type * as Http from 'node:http';

/**
 * node:http, required rather than imported. Node 24 builds an ES module's view of a builtin by reading
 * every export, and node:http's WebSocket getter then loads the bundled undici: ~12 MiB of resident memory
 * in every process for a client it never uses. `import type` from node:http stays free.
 */
export const http = createRequire(import.meta.url)('node:http') as typeof Http;
