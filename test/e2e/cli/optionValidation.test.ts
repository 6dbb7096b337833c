import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCli } from '../../utils/runCli.js';

/** Each case must exit 2 with its message on stderr and no stack trace; none may be silently ignored. */
const refused = (args: string[], message: RegExp) => {
  const result = runCli({ args });
  expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  return result;
};

describe('every option validates its value', () => {
  it('status: --limit must be a positive whole number; --session must exist and excludes --project', () => {
    const dataDir = join(makeTempDir(), 'data');
    for (const limit of ['abc', '0', '-1', '1.5', '1e3', '0x10', '']) {
      refused(['status', '--limit', limit, '--data-dir', dataDir], new RegExp(`--limit must be a positive whole number, not "${limit.replace('.', '\\.')}"`));
    }
    expect(runCli({ args: ['status', '--limit', '3', '--data-dir', dataDir] }).code).toBe(0);
    refused(['status', '--session', 'nope', '--data-dir', dataDir], /No session "nope"/);
    refused(['status', '--session', 'nope', '--project', '.', '--data-dir', dataDir], /--session.*cannot be used with.*--project/);
    refused(['status', '--project', join(dataDir, 'missing'), '--data-dir', dataDir], /No such project folder/);
  });

  it('explain and audit export: unknown or malformed ids are errors', () => {
    const dataDir = join(makeTempDir(), 'data');
    for (const id of ['abc', '0', '-1', '1.5', '0x10']) refused(['explain', id, '--data-dir', dataDir], /is not a task run id/);
    refused(['explain', '99', '--data-dir', dataDir], /No task run 99/);
    refused(['explain', 'T1', '--data-dir', dataDir], /"T1" is not a task run id[\s\S]*nightshift explain T1 --project DIR/);
    refused(['explain', 'T1', '--project', join(dataDir, 'missing'), '--data-dir', dataDir], /No such project folder/);
    refused(['explain', 'T1', '--project', '.', '--data-dir', dataDir], /Nightshift has no session on \./);
    refused(['audit', 'export', '--session', 'nope', '--data-dir', dataDir], /No session "nope"/);
    refused(['audit', 'export', '--output', join(dataDir, 'no', 'such', 'dir', 'audit.jsonl'), '--data-dir', dataDir], /Cannot write the audit trail/);
  });

  it('run: --profile only with --models local, numbers and times checked before anything starts', () => {
    const root = makeTempDir();
    const { repoDir, scriptPath } = createPythonFixture({ parent: root });
    const dataDir = join(root, 'data');
    const run = (...extra: string[]) => ['run', repoDir, '--data-dir', dataDir, ...extra];
    refused(run('--models', `scripted:${scriptPath}`, '--profile', 'mac-16gb'), /--profile mac-16gb .*--models is "scripted:/);
    refused(run('--models', 'local:model.gguf', '--profile', 'mac-16gb'), /local:FILE\.gguf that one file serves every role/);
    refused(run('--models', 'openai:http://127.0.0.1:9/v1#m', '--profile', 'mac-16gb'), /does not use the catalog/);
    for (const value of ['0', 'two', '2.5']) refused(run('--models', `scripted:${scriptPath}`, '--max-tasks', value), /--max-tasks must be a positive whole number/);
    refused(run('--models', `scripted:${scriptPath}`, '--until', '25:00'), /--until "25:00" is not a time/);
    refused(run('--models', `scripted:${scriptPath}`, '--tasks', 'TASKS.md', '--task', 'x'), /either --tasks FILE or --task/);
    refused(run('--models', `scripted:${scriptPath}`, '--sandbox', 'vm'), /Allowed choices are auto, docker, native, local/);
    expect(runCli({ args: ['status', '--json', '--data-dir', dataDir] }).stdout.trim()).toBe('[]');
  });

  it('models and sandbox commands refuse values they would otherwise ignore', () => {
    const root = makeTempDir();
    refused(['models', 'try', '--prompt', 'hi', '--models', 'scripted:x.json', '--profile', 'mac-16gb'], /does not use the catalog/);
    refused(['models', 'serve', '--models', 'scripted:x.json', '--profile', 'mac-16gb'], /does not use the catalog/);
    refused(['models', 'serve', '--models', 'scripted:x.json', '--port', '99999'], /--port must be a whole number/);
    refused(['models', 'try', '--prompt', 'hi', '--role', 'boss'], /--role must be brain, coder or qa/);
    refused(['models', 'plan', '--project', join(root, 'missing')], /project directory .* does not exist/);
    refused(['models', 'plan', '--profile', 'no-such-profile'], /No model profile "no-such-profile"/);
    refused(['models', 'plan', '--memory', 'lots'], /Cannot read --memory "lots"/);
    refused(['sandbox', 'build', '--offline', '--stack', 'python'], /--offline builds every stack/);
    refused(['sandbox', 'build', '--stack', 'cobol'], /Unknown stack "cobol"/);
    refused(['sandbox', 'run', '--project', root, '--kind', 'vm', '--', 'true'], /Unknown sandbox kind "vm"/);
    refused(['sandbox', 'run', '--project', root, '--timeout', '0', '--', 'true'], /--timeout must be a positive number/);
  });
});
