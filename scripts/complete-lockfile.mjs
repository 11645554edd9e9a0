// Keeps package-lock.json installable with `npm ci` when the registry lacks some platform builds.
//
// Why: the registry reachable here has no @biomejs/cli-{darwin,win32,android,…} builds (404), so
// npm leaves them out of the lock file, and then `npm ci` refuses the lock as out of sync with the
// optionalDependencies it cannot see. This script adds an entry for every missing platform-specific
// optional dependency, with the `os`, `cpu` and `libc` read from its name, so `npm ci` knows it is
// for another platform and skips it (on a machine of that platform npm fetches it normally).
//
// Usage: node scripts/complete-lockfile.mjs          (repairs package-lock.json)
//        node scripts/complete-lockfile.mjs --check  (fails when the lock needs repairing; run by npm test)
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'sunos', 'win32', 'aix'];
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64'];

/** os/cpu/libc of a platform package from its name (…-darwin-arm64, …-linux-x64-musl, …-win32-x64-msvc). */
export function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = tokens.find((t) => OS.includes(t));
  const cpu = tokens.find((t) => CPU.includes(t));
  if (!os || !cpu) return null;
  const libc = os === 'linux' ? (tokens.includes('musl') ? 'musl' : 'glibc') : undefined;
  return { os, cpu, libc };
}

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const missing = [];
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = key === '' ? 'node_modules' : `${key}/node_modules`;
    if (lock.packages[`node_modules/${dep}`] || lock.packages[`${base}/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform) continue; // not a platform build: npm records those itself
    missing.push(dep);
    lock.packages[`node_modules/${dep}`] = {
      version: version.replace(/^[\^~]/, ''),
      cpu: [platform.cpu],
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [platform.os],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
    };
  }
}
if (process.argv.includes('--check')) {
  if (missing.length) {
    console.error(
      `package-lock.json n'est pas installable par « npm ci » : il manque ${missing.join(', ')}.\n` +
        'Réparez-le avec : node scripts/complete-lockfile.mjs',
    );
    process.exit(1);
  }
} else {
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
  );
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(missing.length ? `ajouté au verrou : ${missing.join(', ')}` : 'verrou complet');
}
