// Lighthouse scores of the map page (/territoire) and of the adverts page (/annonces, goal:
// performance ≥ 0.9, accessibility 1.0) on a local server (lighthouse 12.8, Debian's Chromium).
// Usage: npm run bench:lighthouse [-- URL…]   (starts its own server unless URLs are given)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const root = path.resolve(import.meta.dirname, '..');
let urls = process.argv.slice(2);
let server;
let dataDir;
if (urls.length === 0) {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'mosaique-lh-'));
  const port = 3990;
  server = spawn(process.execPath, ['apps/cli/bin/mosaique.js', 'start'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: String(port),
      MOSAIQUE_DATA_DIR: path.join(dataDir, 'db'),
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  // Never leave the server behind (an interrupted run would keep the port for the next one).
  process.on('exit', () => server.kill('SIGTERM'));
  for (let i = 0; i < 1800; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  urls = [`http://127.0.0.1:${port}/territoire`, `http://127.0.0.1:${port}/annonces`];
}
/** Goals by page path (issue 6 for the adverts page). */
const GOALS = { '/annonces': { performance: 0.9, accessibility: 1 } };

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const version = (await import('lighthouse/package.json', { with: { type: 'json' } })).default.version;
let failed = false;
for (const url of urls) {
  console.log(`Lighthouse ${version} — ${url}`);
  const goal = GOALS[new URL(url).pathname];
  for (const preset of ['mobile (défaut)', 'desktop']) {
    const config =
      preset === 'desktop' ? (await import('lighthouse/core/config/desktop-config.js')).default : undefined;
    const result = await lighthouse(
      url,
      {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
      },
      config,
    );
    const c = result.lhr.categories;
    const a = result.lhr.audits;
    console.log(
      `${preset.padEnd(16)} performance ${c.performance.score}  accessibilité ${c.accessibility.score}  bonnes pratiques ${c['best-practices'].score}` +
        `  (FCP ${a['first-contentful-paint'].displayValue}, LCP ${a['largest-contentful-paint'].displayValue}, TBT ${a['total-blocking-time'].displayValue}, CLS ${a['cumulative-layout-shift'].displayValue})` +
        (goal
          ? `  objectif performance ≥ ${goal.performance}, accessibilité ${goal.accessibility} ${
              c.performance.score >= goal.performance && c.accessibility.score >= goal.accessibility
                ? '✓'
                : '✗'
            }`
          : ''),
    );
    // What keeps « best practices » below 1 (audits that count and fail).
    for (const ref of c['best-practices'].auditRefs)
      if (ref.weight > 0 && a[ref.id].score !== null && a[ref.id].score < 1)
        console.log(
          `  bonnes pratiques : ${a[ref.id].title} (${ref.id})`,
          ...(a[ref.id].details?.items ?? []).map(
            (item) =>
              `\n    ${item.description ?? ''} ${item.source ?? ''} ${item.sourceLocation?.url ?? item.url ?? ''}`,
          ),
        );
    if (goal && (c.performance.score < goal.performance || c.accessibility.score < goal.accessibility))
      failed = true;
  }
}
await chrome.kill();
if (failed) process.exitCode = 1;
if (server) {
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
