import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NightshiftError } from '../../shared/NightshiftError.js';
import { createBubblewrapSandbox } from './createBubblewrapSandbox.js';
import { discoverDockerEndpoint } from '../docker/discoverDockerEndpoint.js';
import { findExecutable } from './findExecutable.js';
import { probeBubblewrap } from './probeBubblewrap.js';

/** Whether one kind of sandbox can run here, and why (not). */
export interface SandboxDiagnosis {
  kind: 'docker' | 'bubblewrap' | 'sandbox-exec' | 'local';
  available: boolean;
  /** One sentence: what was found, or what is missing and how to get it. */
  reason: string;
}

/**
 * Which sandboxes can run on this machine: a Docker-compatible daemon answering on one of its usual sockets,
 * bubblewrap (Linux: installed, namespaces allowed, limits enforceable), sandbox-exec (macOS), and the
 * unsandboxed local runner, which is always there but needs the project's explicit opt-in.
 */
export async function diagnoseSandboxes(options: {
  /** Operating system to diagnose for. Default process.platform. */
  platform?: NodeJS.Platform;
  /** Environment with PATH, HOME, DOCKER_HOST. Default process.env. */
  env?: NodeJS.ProcessEnv;
} = {}): Promise<SandboxDiagnosis[]> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  return [
    await diagnoseDocker(env, platform),
    platform === 'linux' ? await diagnoseBubblewrap(env) : { kind: 'bubblewrap', available: false, reason: 'bubblewrap runs on Linux only' },
    platform === 'darwin' ? diagnoseSandboxExec() : { kind: 'sandbox-exec', available: false, reason: 'sandbox-exec runs on macOS only' },
    { kind: 'local', available: true, reason: 'runs commands directly on this machine without isolation; only used when nightshift.json sets "allowUnsandboxed": true' },
  ];
}

/** Docker is found exactly the way sessions find it, so the doctor and a run never disagree. */
async function diagnoseDocker(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<SandboxDiagnosis> {
  try {
    const found = await discoverDockerEndpoint({ env, homeDir: env.HOME ?? homedir(), platform, pingTimeoutMs: 2000 });
    return { kind: 'docker', available: true, reason: `a daemon answered at ${found.endpoint} (${found.source})` };
  } catch (error) {
    if (!(error instanceof NightshiftError)) throw error;
    return { kind: 'docker', available: false, reason: `${error.message} ${error.hint}` };
  }
}

async function diagnoseBubblewrap(env: NodeJS.ProcessEnv): Promise<SandboxDiagnosis> {
  const probe = await probeBubblewrap(env.PATH !== undefined ? { searchPath: env.PATH } : {});
  if (!probe.available) return { kind: 'bubblewrap', available: false, reason: probe.reason };
  const scratch = mkdtempSync(join(tmpdir(), 'nightshift-doctor-'));
  try {
    const sandbox = createBubblewrapSandbox({ workspaceDir: scratch, env });
    await sandbox.dispose();
    return { kind: 'bubblewrap', available: true, reason: `${probe.reason}; limits enforced with ${sandbox.limitMethod}` };
  } catch (error) {
    if (!(error instanceof NightshiftError)) throw error;
    return { kind: 'bubblewrap', available: false, reason: error.message };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function diagnoseSandboxExec(): SandboxDiagnosis {
  const path = findExecutable({ name: '/usr/bin/sandbox-exec' });
  return path
    ? { kind: 'sandbox-exec', available: true, reason: `${path} is present` }
    : { kind: 'sandbox-exec', available: false, reason: '/usr/bin/sandbox-exec is missing from this macOS' };
}
