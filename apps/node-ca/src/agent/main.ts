// Entry of the node agent's own small bundle (dist/apps/node-ca/agent.mjs): `node agent.mjs sync …`
// does what `node main.mjs sync …` does, without parsing the controllers' code (half the agent's memory).
import { runAgent } from './run.ts';

const [command, ...rest] = process.argv.slice(2);
if (command !== 'sync') {
  process.stderr.write('usage: node agent.mjs sync [flags] (see sync --help)\n');
  process.exit(2);
}
await runAgent(rest);
