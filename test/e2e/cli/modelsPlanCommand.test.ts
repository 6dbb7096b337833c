import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlacementPlan } from '../../../src/runtime/placement/PlacementPlan.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCli } from '../../utils/runCli.js';

const GIB = 1024 ** 3;

/** `nightshift models plan` with a private home (for ~/.nightshift/models.json) and project folder. */
function setup() {
  const home = makeTempDir();
  const project = makeTempDir();
  const plan = (...args: string[]) => runCli({ args: ['models', 'plan', '--project', project, ...args], env: { HOME: home } });
  return { home, project, plan };
}

interface PlanOutput {
  machine: { totalMemoryBytes: number; unified: boolean; simulated: boolean };
  profile: { id: string; memoryGb: number };
  plan: PlacementPlan;
}

describe('nightshift models plan', () => {
  it('prints the plan for a simulated 128 GB Mac as JSON: an 80B coder and a separate reviewer resident', () => {
    const { plan } = setup();
    const result = plan('--memory', '128GB', '--json');
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as PlanOutput;
    expect(output.machine).toMatchObject({ totalMemoryBytes: 128 * GIB, unified: true, simulated: true });
    expect(output.profile).toMatchObject({ id: 'mac-128gb', memoryGb: 128 });
    expect(output.plan.ok).toBe(true);
    const roles = Object.fromEntries(output.plan.roles.map((role) => [role.role, role]));
    expect(roles.coder).toMatchObject({ modelId: 'qwen3-coder-next-q4km', verdict: 'fits' });
    expect(roles.qa!.verdict).toBe('fits');
    expect(roles.qa!.modelId).not.toBe(roles.coder!.modelId);
    expect(output.plan.headroomBytes).toBeGreaterThan(0);
  });

  it('picks the 36 GB profile for a 36 GB Mac and plans its reviewer as a swap', () => {
    const { plan } = setup();
    const result = plan('--memory', '36 GB', '--json');
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as PlanOutput;
    expect(output.profile.id).toBe('mac-36gb');
    expect(output.plan.roles.find((role) => role.role === 'qa')!.verdict).toBe('must-swap');
  });

  it('prints a table per role with estimates, verdicts and headroom', () => {
    const { plan } = setup();
    const result = plan('--memory', '64GB');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Profile mac-64gb \(64 GB tier\)/);
    expect(result.stdout).toMatch(/Budget 48\.0 GiB \(Metal's working set\)/);
    expect(result.stdout).toMatch(/headroom \d+\.\d GiB/);
    expect(result.stdout).toMatch(/ROLE\s+MODEL\s+CONTEXT\s+MINIMUM\s+KV CACHE\s+COMPUTE\s+VERDICT/);
    expect(result.stdout).toMatch(/coder\s+qwen3\.6-35b-a3b-q4km\s+98304\s+16384\s+\d+\.\d GiB\s+\d+\.\d GiB\s+fits/);
    expect(result.stdout).toMatch(/^OK: /m);
  });

  it('applies the project override file, and exits 1 with suggestions when the plan is not ok', () => {
    const { plan, project } = setup();
    writeFileSync(
      join(project, 'nightshift.models.json'),
      JSON.stringify({ profiles: [{ id: 'mac-36gb', roles: { coder: { model: 'qwen3-coder-30b-a3b-q8', contextSize: 16384 }, brain: { model: 'qwen3-coder-30b-a3b-q8' } } }] }),
    );
    const result = plan('--memory', '36GB', '--json');
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as PlanOutput;
    const coder = output.plan.models.find((model) => model.modelId === 'qwen3-coder-30b-a3b-q8')!;
    expect(coder.verdict).toBe('cannot-run');
    expect(coder.suggestions.map((suggestion) => suggestion.modelId ?? suggestion.profileId)).toEqual(expect.arrayContaining(['qwen3-coder-30b-a3b-q4km', 'mac-32gb']));
    const human = plan('--memory', '36GB');
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/cannot-run/);
    expect(human.stdout).toMatch(/Suggestions:\n\s+- qwen3-coder-30b-a3b-q8: qwen3-coder-30b-a3b-q4km \(Q4_K_M/);
    expect(human.stdout).toMatch(/^NOT OK/m);
  });

  it('names the global override file and field that is wrong, and rejects unreadable sizes and profiles', () => {
    const { plan, home } = setup();
    mkdirSync(join(home, '.nightshift'));
    const globalFile = join(home, '.nightshift', 'models.json');
    writeFileSync(globalFile, JSON.stringify({ profiles: [{ id: 'mac-64gb', roles: { coder: { gpuLayers: 'auto' } } }] }));
    const broken = plan('--memory', '64GB');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(globalFile);
    expect(broken.stderr).toContain('$.profiles[0].roles.coder.gpuLayers');
    writeFileSync(globalFile, '{}');
    const size = plan('--memory', 'lots');
    expect(size.code).toBe(2);
    expect(size.stderr).toMatch(/Cannot read --memory "lots"/);
    // --data-dir moves the global overrides with the rest of Nightshift's data, as sessions and the app read them.
    const dataDir = join(home, 'elsewhere');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'models.json'), JSON.stringify({ profiles: [{ id: 'mac-64gb', roles: { coder: { gpuLayers: 'auto' } } }] }));
    const moved = plan('--memory', '64GB', '--data-dir', dataDir);
    expect(moved.code).toBe(2);
    expect(moved.stderr).toContain(join(dataDir, 'models.json'));
    const unknown = plan('--memory', '64GB', '--profile', 'mac-65gb');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No model profile "mac-65gb"/);
    expect(unknown.stderr).toMatch(/mac-64gb \(64 GB\)/);
  });
});
