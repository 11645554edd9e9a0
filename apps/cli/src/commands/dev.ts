import path from 'node:path';
import type { Command } from 'commander';

const say = (line: string) => process.stderr.write(`[mosaïque dev] ${line}\n`);
const WEB_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../web');

export function register(program: Command): void {
  program
    .command('dev')
    .description(
      "Développement : l'API sur PORT (défaut 3000) et l'application web servie par Vite avec rechargement à chaud sur le port 5173",
    )
    .action(async () => {
      const { startPlatform } = await import('@mosaique/server');
      const platform = await startPlatform({ progress: say, webRoot: '' });
      const { createServer } = await import('vite');
      const vite = await createServer({
        configFile: path.join(WEB_DIR, 'vite.config.ts'),
        server: { port: 5173, host: '127.0.0.1', proxy: { '/api': platform.url } },
      });
      await vite.listen();
      say(`Application web : http://127.0.0.1:${vite.config.server.port} (API : ${platform.url})`);
      const stop = async () => {
        await vite.close();
        await platform.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
    });
}
