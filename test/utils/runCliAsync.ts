import { spawn } from 'node:child_process';
import { CLI_BIN } from './runCli.js';

/**
 * Runs the real `nightshift` CLI in a child process without blocking this one, for tests whose own event
 * loop must keep serving (a local HTTP server the CLI talks to).
 */
export function runCliAsync(options: {
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Milliseconds before the child is killed. Default 300000. */
  timeoutMs?: number;
}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...options.args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
