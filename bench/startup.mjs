// Measures what a new user sees: `npm start` on a fresh checkout (web build included, empty
// database) until /api/v1/health answers, then a second start on the same data.
// Usage: npm run bench:startup
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mosaique-bench-'));
const port = 3900 + Math.floor(Math.random() * 90);

async function startOnce(label) {
  const started = performance.now();
  const child = spawn(process.execPath, ['apps/cli/bin/mosaique.js', 'start'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: String(port),
      MOSAIQUE_DATA_DIR: path.join(dataDir, 'db'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`le serveur s'est arrêté :\n${log}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (performance.now() - started > 180_000) throw new Error(`pas de réponse en 180 s :\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const code = await exited;
  console.log(`${label.padEnd(44)} ${seconds.toFixed(1).padStart(6)} s   (arrêt propre : code ${code})`);
  return seconds;
}

console.log(`Node ${process.version}, ${os.cpus()[0]?.model} × ${os.cpus().length}`);
rmSync(path.join(root, 'apps/web/dist'), { recursive: true, force: true });
const first = await startOnce('premier démarrage (build web + base vide)');
const second = await startOnce('second démarrage');
rmSync(dataDir, { recursive: true, force: true });
console.log(
  `objectifs : premier ≤ 60 s (≤ 30 s sans population), second ≤ 5 s → ${first <= 60 && second <= 5 ? 'atteints' : 'NON atteints'}`,
);
