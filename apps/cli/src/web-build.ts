import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const WEB_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../web');
const DIST = path.join(WEB_DIR, 'dist');
const STAMP = path.join(DIST, '.source-hash');

/**
 * Changes when the way of building changes, so that an older build is not served as up to date
 * (2: always a production build, whatever NODE_ENV the calling process has).
 */
const BUILD_FORMAT = '2';

/** Hash of everything the web build depends on in the repository (sources, config, domain code). */
function sourceHash(): string {
  const hash = createHash('sha256').update(`format ${BUILD_FORMAT}`);
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
  // A production build even when the caller runs under a test runner (vitest sets NODE_ENV=test,
  // which would otherwise bundle React's development build, several times slower).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
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
