import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const WEB_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../web');
const DIST = path.join(WEB_DIR, 'dist');
const STAMP = path.join(DIST, '.source-hash');

/** Hash of everything the web build depends on in the repository (sources, config, domain code). */
function sourceHash(): string {
  const hash = createHash('sha256');
  const roots = [WEB_DIR, path.resolve(WEB_DIR, '../../packages/domain/src')];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'dist' || name === 'node_modules') continue;
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else hash.update(file).update(readFileSync(file));
    }
  };
  for (const root of roots) walk(root);
  return hash.digest('hex');
}

/** Builds the web app when it was never built or its sources changed since the last build. */
export async function ensureWebBuild(say: (line: string) => void): Promise<void> {
  const hash = sourceHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return;
  say("Construction de l'application web (Vite)…");
  const started = performance.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
  precompress(DIST);
  writeFileSync(STAMP, hash);
  say(`Application web construite en ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Writes .br and .gz beside every text asset, served by @fastify/static (preCompressed). */
function precompress(dir: string): void {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) {
      precompress(file);
      continue;
    }
    if (!/\.(js|mjs|css|html|svg|json|txt)$/.test(name)) continue;
    const content = readFileSync(file);
    if (content.length < 1024) continue;
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
  }
}
