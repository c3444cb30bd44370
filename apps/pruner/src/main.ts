// The pruner app. `main.mjs` runs the controller; `main.mjs prune …` is the prune job (the CronJob's
// container in the registry-api flavour), one bundle for both.
import { runApp } from '@image-registry/controller-runtime';
import { appName, prunerFlags, resolvePrunerSetup } from './flags.ts';
import { setupPrunerController } from './pruner.controller.ts';
import { ImageConfigResource } from './resources.ts';

if (process.argv[2] === 'prune') {
  const { runPruneCommand } = await import('./prune/command.ts');
  const { splitRetries, withRetries } = await import('./prune/retry.ts');
  // Upstream wraps the job in a shell retry loop; the app image has no shell, so the CronJob asks
  // for the same loop here with a leading --retries=N (none when absent, as when run by hand).
  const { retries, argv } = splitRetries(process.argv.slice(3));
  let stopped = false;
  let wake: (() => void) | undefined;
  process.once('SIGTERM', () => {
    stopped = true;
    wake?.();
  });
  process.exitCode = await withRetries(() => runPruneCommand(argv, process.env), {
    retries,
    wait: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => (clearTimeout(timer), resolve());
      }),
    stopped: () => stopped,
    onRetry: (attempt, rc) => process.stderr.write(`attempt #${attempt} has failed (exit code ${rc}), going to make another attempt...\n`),
  });
} else {
  await runApp({
    name: appName,
    extraFlags: prunerFlags,
    async setup(mgr, opts) {
      const setup = await resolvePrunerSetup(mgr.client, opts);
      const hasImageConfig = await mgr.client.serves(ImageConfigResource);
      mgr.logger.info({ namespace: setup.namespace, flavour: setup.flavour, image: setup.image, applyServiceCA: setup.applyServiceCA }, 'pruner configured');
      setupPrunerController(mgr, { ...setup, hasImageConfig });
    },
  });
}
