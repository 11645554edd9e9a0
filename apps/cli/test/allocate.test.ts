import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AllocationInstance, type AllocationResult, checkAllocation } from '@mosaique/domain/allocation';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'mosaique-allocate-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mosaique allocate', () => {
  it('generates an instance, allocates it and writes a result that checks against the instance', async () => {
    const instancePath = join(dir, 'instance.json');
    const resultPath = join(dir, 'result.json');
    const generated = await runCli([
      'allocate',
      'generate',
      '--homes',
      '200',
      '--applicants',
      '2000',
      '--choices',
      '4',
      '--epcis',
      '3',
      '--seed',
      '5',
      '--out',
      instancePath,
    ]);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    expect(generated.stdout).toContain('200 logements, 2000 candidats, 8000 candidatures');

    const run = await runCli(['allocate', instancePath, '--out', resultPath, '--time-limit', '20']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Attribution : \d+ logement\(s\) attribué\(s\) sur 200/);
    expect(run.stdout).toContain('Prix de la mixité');
    const instance = JSON.parse(readFileSync(instancePath, 'utf8')) as AllocationInstance;
    const result = JSON.parse(readFileSync(resultPath, 'utf8')) as AllocationResult;
    expect(checkAllocation(instance, result).problems).toEqual([]);
    expect(result.gap).toBeLessThanOrEqual(1e-4);
    expect(result.settings.timeLimitSeconds).toBe(20);
    expect(Object.keys(result.candidates)).toHaveLength(200);
    expect(result.constraints.length).toBeGreaterThan(0);
  });

  it('prints the result on standard output without --out', async () => {
    const instancePath = join(dir, 'small.json');
    writeFileSync(
      instancePath,
      JSON.stringify({
        homes: [{ id: 'h1', epci: '200040715', qpv: false, reservationHolder: 'state' }],
        applicants: [
          { id: 'a1', score: 57, firstQuartile: true, urbanRenewalRelocation: false, priorityPublic: true },
        ],
        applications: [{ applicant: 'a1', home: 'h1', rank: 1 }],
      }),
    );
    const run = await runCli(['allocate', instancePath]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as AllocationResult;
    expect(result.assignments).toEqual([
      { home: 'h1', applicant: 'a1', rank: 1, score: 57, weight: 57 * 1.4 },
    ]);
    expect(run.stderr).toContain('les 2 objectifs sont atteints');
  });

  it('refuses a bad instance with a non-zero exit and a message naming the entry', async () => {
    const instancePath = join(dir, 'bad.json');
    writeFileSync(
      instancePath,
      JSON.stringify({
        targets: { firstQuartileOutsideQpv: 1.5 },
        homes: [{ id: 'h1', epci: '200040715', qpv: false, reservationHolder: 'state' }],
        applicants: [],
        applications: [{ applicant: 'a99', home: 'h1', rank: 1 }],
      }),
    );
    const run = await runCli(['allocate', instancePath]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('applications[0] : candidat « a99 » inconnu');
    expect(run.stderr).toContain('targets.firstQuartileOutsideQpv : doit être une part entre 0 et 1');
    const missing = await runCli(['allocate', join(dir, 'absent.json')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('lecture impossible');
  });

  it('has generate as a real subcommand with its own help, options after it, and « allocate FILE » kept', async () => {
    const help = await runCli(['allocate', 'generate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: mosaique allocate generate');
    for (const option of ['--homes', '--applicants', '--choices', '--epcis', '--seed', '--out'])
      expect(help.stdout).toContain(option);
    expect(help.stdout).not.toContain('--time-limit');
    const parentHelp = await runCli(['allocate', '--help']);
    expect(parentHelp.stdout).toContain('generate');
    expect(parentHelp.stdout).toContain('--time-limit');
    expect(parentHelp.stdout).not.toContain('--homes');

    const missing = await runCli(['allocate', 'generate', '--homes', '5', '--out', join(dir, 'x.json')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('generate demande --homes, --applicants et --out');
    // Options in any order after the subcommand; the parent's --out is not taken from generate's.
    const instancePath = join(dir, 'tiny.json');
    const generated = await runCli([
      'allocate',
      'generate',
      '--out',
      instancePath,
      '--seed',
      '3',
      '--applicants',
      '30',
      '--homes',
      '6',
      '--choices',
      '2',
    ]);
    expect(generated.stderr).toBe('');
    expect(generated.stdout).toContain('6 logements, 30 candidats, 60 candidatures');
    const resultPath = join(dir, 'tiny-result.json');
    const run = await runCli(['allocate', '--out', resultPath, instancePath]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Résultat écrit dans ${resultPath}.`);
    expect(
      Object.keys((JSON.parse(readFileSync(resultPath, 'utf8')) as AllocationResult).candidates),
    ).toHaveLength(6);
  });
});
