// The node-ca bundle: `sync` runs the node agent (the DaemonSet's container); anything else runs the
// controllers. Each half is loaded only when chosen, so the agent never loads the Kubernetes client.
const [command, ...rest] = process.argv.slice(2);
if (command === 'sync') {
  const { runAgent } = await import('./agent/run.ts');
  await runAgent(rest);
} else {
  const { runControllers } = await import('./controllers.ts');
  await runControllers();
}
