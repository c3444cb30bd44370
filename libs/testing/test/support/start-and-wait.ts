// Starts a private control plane, prints its run folder and component pids as JSON, then waits to be killed.
import { startControlPlane } from '../../src/control-plane/start.ts';

const cp = await startControlPlane({ nodes: 1 });
process.stdout.write(`${JSON.stringify({ runDir: cp.runDir, pids: cp.pids() })}\n`);
setInterval(() => undefined, 1 << 30);
