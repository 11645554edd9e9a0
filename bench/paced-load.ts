/**
 * An open-loop load generator at a constant arrival rate (the method of wrk2), run in a child
 * process of its own so that it shares neither the server's event loop nor its thread.
 *
 * Request k is due at `start + k / rate`, whatever happened to the previous ones: a slow answer
 * does not hold back the next requests (they go out on other sockets), and each latency is counted
 * from the moment its request was due, not from the moment it was sent — so that any delay of the
 * generator itself counts against the server, never for it (no « coordinated omission »).
 *
 * Used by bench/letting.ts: `runPacedLoad(job)` forks this file and resolves with the figures.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export interface PacedJob {
  /** Base address of the server, e.g. http://127.0.0.1:3000 */
  address: string;
  /** Sent in turn (request k is `requests[k % requests.length]`). */
  requests: { path: string; headers: Record<string, string> }[];
  /** Requests per second. */
  rate: number;
  seconds: number;
}

export interface PacedResult {
  requests: number;
  /** Requests answered per second over the run (first due time to last answer). */
  served: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

/** Runs `job` in a child process; resolves when every request has been answered. */
export function runPacedLoad(job: PacedJob): Promise<PacedResult> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, MOSAIQUE_PACED_CHILD: '1' },
  });
  return new Promise<PacedResult>((resolve, reject) => {
    child.once('message', (result) => resolve(result as PacedResult));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`générateur de charge arrêté (code ${code})`)));
    child.send(job);
  }).finally(() => child.kill());
}

async function generate(job: PacedJob): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(job.rate * job.seconds);
  const interval = 1000 / job.rate;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const start = performance.now() + 20;
  await new Promise<void>((resolve) => {
    let answered = 0;
    const settle = () => {
      if (++answered === total) resolve();
    };
    const send = (k: number) => {
      const due = start + k * interval;
      const { path, headers } = job.requests[k % job.requests.length]!;
      const request = http.request(`${job.address}${path}`, { agent, headers }, (response) => {
        response.resume();
        response.on('end', () => {
          latencies.push(performance.now() - due);
          if ((response.statusCode ?? 0) >= 300) non2xx++;
          settle();
        });
      });
      request.on('error', () => {
        errors++;
        settle();
      });
      request.end();
    };
    let next = 0;
    const tick = () => {
      const now = performance.now();
      // Every request already due goes out now (a late timer does not lower the rate).
      while (next < total && start + next * interval <= now) send(next++);
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0);
  return {
    requests: total,
    served: (total - errors) / elapsed,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: Math.round(latencies.at(-1) ?? 0),
    errors,
    non2xx,
  };
}

if (process.env.MOSAIQUE_PACED_CHILD === '1' && process.send) {
  process.once('message', (job) => {
    void generate(job as PacedJob).then((result) => {
      process.send!(result, () => process.exit(0));
    });
  });
}
