import type { Command } from 'commander';

const say = (line: string) => process.stderr.write(`[mosaïque] ${line}\n`);

export function register(program: Command): void {
  program
    .command('start')
    .description(
      'Démarre Mosaïque : base embarquée (ou DATABASE_URL), migrations, données de démonstration au premier démarrage, serveur sur HOST:PORT (défaut 127.0.0.1:3000)',
    )
    .action(async () => {
      const started = performance.now();
      // Heavy modules are loaded by the command that needs them, so every other command starts fast.
      const { ensureWebBuild } = await import('../web-build.ts');
      const { startPlatform } = await import('@mosaique/server');
      await ensureWebBuild(say);
      const platform = await startPlatform({ progress: say });
      say(`Démarré en ${((performance.now() - started) / 1000).toFixed(1)} s. Ctrl+C pour arrêter.`);
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        say(`${signal} reçu : arrêt propre (requêtes en cours terminées, base fermée)…`);
        await platform.close();
        say('Arrêté.');
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });
}
