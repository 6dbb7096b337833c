import { dirname } from 'node:path';

/**
 * Mach services a command-line tool needs: user and group lookup, notifications (time-zone changes), logging.
 * Everything else (the keychain, the pasteboard, launch services) stays out of reach.
 */
const MACH_SERVICES = [
  'com.apple.system.opendirectoryd.libinfo',
  'com.apple.system.notification_center',
  'com.apple.system.logger',
  'com.apple.logd',
  'com.apple.diagnosticd',
];

/** Device files a command may write besides its own pipes. */
const WRITABLE_DEVICES = ['/dev/null', '/dev/zero', '/dev/dtracehelper', '/dev/tty'];

/**
 * The Seatbelt (SBPL) profile of one sandbox-exec run. Everything is denied unless allowed; the last matching
 * rule wins, so the order matters: reading is allowed everywhere, then denied in every home directory and
 * mounted volume, then allowed again for the workspace, the private temp dir and the read-only paths (tool
 * installs, linked dependency folders). The directories above them may be looked up (stat) but not listed.
 * Writing is allowed only under the workspace, the private temp dir and the writable paths, and every network operation is
 * denied, loopback included (the host's loopback is not private here, unlike in a network namespace).
 * Paths must be real paths (macOS resolves /tmp and /var to /private/...).
 */
export function buildSandboxExecProfile(options: {
  /** The run's workspace: readable and writable. */
  workspaceDir: string;
  /** The run's private temp dir (TMPDIR and HOME live there): readable and writable. */
  tempDir: string;
  /** Tool installs and other host paths: readable. */
  readOnlyPaths: string[];
  /** Folders inside the read-only paths that are writable too (vite's folders in a linked node_modules). Default none. */
  writablePaths?: string[];
  /** The user's home directory, hidden except for the paths above. */
  home: string;
}): string {
  const writable = [options.workspaceDir, options.tempDir, ...(options.writablePaths ?? [])];
  const readable = [...writable, ...options.readOnlyPaths];
  const ancestors = [...new Set(readable.flatMap(parentsOf))].sort();
  return [
    '(version 1)',
    '(deny default)',
    '(allow process-exec)',
    '(allow process-fork)',
    '(allow signal (target same-sandbox))',
    '(allow process-info* (target same-sandbox))',
    '(allow sysctl-read)',
    `(allow mach-lookup ${MACH_SERVICES.map((name) => `(global-name ${quote(name)})`).join(' ')})`,
    '(allow ipc-posix-shm)',
    '(allow ipc-posix-sem)',
    '(allow pseudo-tty)',
    '(allow file-ioctl)',
    '(allow file-read*)',
    `(deny file-read* (subpath "/Users") (subpath "/Volumes") (subpath ${quote(options.home)}))`,
    `(allow file-read* ${readable.map(subpath).join(' ')})`,
    `(allow file-read-metadata ${ancestors.map((path) => `(literal ${quote(path)})`).join(' ')})`,
    `(allow file-write* ${writable.map(subpath).join(' ')})`,
    `(allow file-write-data ${WRITABLE_DEVICES.map((path) => `(literal ${quote(path)})`).join(' ')} (regex #"^/dev/fd/[0-9]+$"))`,
    '(deny network*)',
    '',
  ].join('\n');
}

function subpath(path: string): string {
  return `(subpath ${quote(path)})`;
}

/** SBPL strings are Scheme strings: a backslash or a double quote must be escaped. */
function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

function parentsOf(path: string): string[] {
  const parents = ['/'];
  for (let dir = dirname(path); dir !== '/'; dir = dirname(dir)) parents.push(dir);
  return parents;
}
