import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, readdir, readFile, realpath, rename, rm, stat, statfs, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { InsufficientDiskError } from './InsufficientDiskError.js';
import { ModelDownloadError } from './ModelDownloadError.js';
import type { ModelDiskUsage, ModelFileEntry, ModelFileOrigin, ModelFileStore } from './ModelFileStore.js';
import { ModelIdInvalidError } from './ModelIdInvalidError.js';
import { ModelImportError } from './ModelImportError.js';
import { ModelIntegrityError } from './ModelIntegrityError.js';
import { ModelManifestError } from './ModelManifestError.js';
import { ModelNotFoundError } from './ModelNotFoundError.js';
import { ModelSourceError } from './ModelSourceError.js';
import { downloadModelFile } from './downloadModelFile.js';
import { resolveModelSource } from './resolveModelSource.js';
import { isProcessAlive } from '../../node/isProcessAlive.js';

const GGUF_MAGIC = 'GGUF';
const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const manifestSchema = z.object({
  version: z.literal(1),
  models: z.array(
    z.object({
      id: z.string().regex(idPattern),
      sizeBytes: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
      source: z.string(),
      origin: z.enum(['download', 'copy', 'link']),
      addedAt: z.number().int(),
    }),
  ),
});

type ModelRecord = z.infer<typeof manifestSchema>['models'][number];

/**
 * The model files under `<dataDir>/models`: `<id>.gguf` per model, `manifest.json` saying what each is,
 * and `.partial/` for downloads in progress (`<id>.gguf.part`, its origin in `<id>.gguf.part.json`, and
 * `<id>.lock` naming the process that is pulling it). Files and the manifest are replaced by rename, so a
 * crash leaves either the old or the new version. Manifest updates are serialized within a process;
 * across processes the last writer wins, which only matters for two commands adding models at once.
 */
export function createModelFileStore(options: {
  /** The store's folder, normally `<dataDir>/models`; created on first write. */
  dir: string;
  /** HTTP client. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. Default: `Date.now`. */
  now?: () => number;
  /** Free-space probe with `fs.promises.statfs`'s shape. Default: `fs.promises.statfs`. */
  statfs?: (path: string) => Promise<{ bavail: number; bsize: number }>;
  /** Bytes kept free on the disk beyond the model file itself. Default 256 MiB. */
  reserveBytes?: number;
  /** Base URL `hf:` sources resolve against, for mirrors. Default `https://huggingface.co`. */
  huggingFaceEndpoint?: string;
  /** Milliseconds to wait for a server's response headers. Default 15000. */
  responseTimeoutMs?: number;
  /** Milliseconds without data before a transfer counts as stalled. Default 30000. */
  stallTimeoutMs?: number;
}): ModelFileStore {
  const dir = resolve(options.dir);
  const partialDir = join(dir, '.partial');
  const manifestPath = join(dir, 'manifest.json');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const statfsImpl = options.statfs ?? statfs;
  const reserveBytes = options.reserveBytes ?? 256 * 1024 * 1024;
  const modelPath = (id: string) => join(dir, `${id}.gguf`);
  const partPath = (id: string) => join(partialDir, `${id}.gguf.part`);
  const metaPath = (id: string) => join(partialDir, `${id}.gguf.part.json`);
  const toUrl = (source: string) =>
    resolveModelSource({ source, ...(options.huggingFaceEndpoint ? { huggingFaceEndpoint: options.huggingFaceEndpoint } : {}) });

  const readManifest = async (): Promise<ModelRecord[]> => {
    let text: string;
    try {
      text = await readFile(manifestPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new ModelManifestError({ path: manifestPath, problem: describe(error), cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ModelManifestError({ path: manifestPath, problem: 'it is not valid JSON', cause: error });
    }
    const parsed = manifestSchema.safeParse(json);
    if (!parsed.success) {
      throw new ModelManifestError({ path: manifestPath, problem: parsed.error.issues.map((issue) => `$.${issue.path.join('.')}: ${issue.message}`).join('; ') });
    }
    return parsed.data.models;
  };

  let manifestQueue: Promise<unknown> = Promise.resolve();
  const updateManifest = (change: (records: ModelRecord[]) => ModelRecord[]): Promise<void> => {
    const run = manifestQueue.then(async () => {
      const records = change(await readManifest()).sort((a, b) => a.id.localeCompare(b.id));
      await writeAtomically(manifestPath, `${JSON.stringify({ version: 1, models: records }, null, 2)}\n`);
    });
    manifestQueue = run.catch(() => undefined);
    return run;
  };
  const record = (entry: ModelRecord) => updateManifest((records) => [...records.filter((other) => other.id !== entry.id), entry]);

  const toEntry = async (entry: ModelRecord): Promise<ModelFileEntry> => ({
    ...entry,
    path: modelPath(entry.id),
    present: await isFile(modelPath(entry.id)),
  });

  const freeBytes = async () => {
    const stats = await statfsImpl(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  };
  const ensureSpace = async (id: string, bytesToWrite: number) => {
    const free = await freeBytes();
    const needed = Math.max(0, bytesToWrite) + reserveBytes;
    if (free < needed) throw new InsufficientDiskError({ id, dir, neededBytes: needed, freeBytes: free });
  };

  const lock = async (id: string, url: string): Promise<() => Promise<void>> => {
    await mkdir(partialDir, { recursive: true });
    const lockPath = join(partialDir, `${id}.lock`);
    const staged = join(partialDir, `${id}.lock.${process.pid}.${randomBytes(4).toString('hex')}`);
    await writeFile(staged, String(process.pid));
    try {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        try {
          // link() fails when the lock exists, so the lock appears atomically with its owner's pid in it.
          await link(staged, lockPath);
          return () => rm(lockPath, { force: true });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          const owner = Number(await readFile(lockPath, 'utf8').catch(() => ''));
          if (Number.isInteger(owner) && owner > 0 && isProcessAlive(owner)) {
            throw new ModelDownloadError({ id, url, reason: 'busy', detail: `process ${owner}` });
          }
          await rm(lockPath, { force: true });
        }
      }
      throw new ModelDownloadError({ id, url, reason: 'busy', detail: 'the lock keeps being taken' });
    } finally {
      await rm(staged, { force: true });
    }
  };

  const discardPartial = async (id: string) => {
    await rm(partPath(id), { force: true });
    await rm(metaPath(id), { force: true });
  };

  const store: ModelFileStore = {
    dir,

    resolveSource: ({ source }) => toUrl(source),

    async pull(pull) {
      assertId(pull.id);
      const url = toUrl(pull.source);
      const wanted = pull.sha256?.toLowerCase();
      if (wanted !== undefined && !/^[0-9a-f]{64}$/.test(wanted)) {
        throw new ModelSourceError({ source: pull.source, problem: `the expected sha256 "${pull.sha256}" is not 64 hex digits` });
      }
      const existing = (await readManifest()).find((entry) => entry.id === pull.id);
      if (existing && (await isFile(modelPath(existing.id))) && (!wanted || !existing.sha256 || existing.sha256 === wanted)) {
        return toEntry(existing);
      }
      await mkdir(dir, { recursive: true });
      const release = await lock(pull.id, url);
      try {
        if (pull.expectedSizeBytes !== undefined) {
          const kept = await stat(partPath(pull.id)).then((stats) => stats.size, () => 0);
          await ensureSpace(pull.id, pull.expectedSizeBytes - kept);
        }
        const integrity = (check: 'sha256' | 'size' | 'magic', expected: string, actual: string) =>
          new ModelIntegrityError({ id: pull.id, url, check, expected, actual });
        try {
          const result = await downloadModelFile({
            id: pull.id,
            url,
            partPath: partPath(pull.id),
            metaPath: metaPath(pull.id),
            fetch: fetchImpl,
            now,
            ...(pull.expectedSizeBytes === undefined ? {} : { expectedSizeBytes: pull.expectedSizeBytes }),
            beforeWrite: async ({ totalBytes, haveBytes }) => {
              if (totalBytes === null) return;
              if (pull.expectedSizeBytes !== undefined && totalBytes !== pull.expectedSizeBytes) {
                throw integrity('size', `${pull.expectedSizeBytes} bytes`, `${totalBytes} bytes announced by the server`);
              }
              await ensureSpace(pull.id, totalBytes - haveBytes);
            },
            ...(pull.onProgress ? { onProgress: pull.onProgress } : {}),
            ...(pull.signal ? { signal: pull.signal } : {}),
            responseTimeoutMs: options.responseTimeoutMs ?? 15_000,
            stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
            retryDelayMs: 250,
          });
          if (wanted && result.sha256 !== wanted) throw integrity('sha256', wanted, result.sha256);
          if (pull.expectedSizeBytes !== undefined && result.sizeBytes !== pull.expectedSizeBytes) {
            throw integrity('size', `${pull.expectedSizeBytes} bytes`, `${result.sizeBytes} bytes`);
          }
          const magic = await readMagic(partPath(pull.id));
          if (magic !== GGUF_MAGIC) throw integrity('magic', GGUF_MAGIC, describeMagic(magic));
          await rename(partPath(pull.id), modelPath(pull.id));
          await rm(metaPath(pull.id), { force: true });
          const entry: ModelRecord = { id: pull.id, sizeBytes: result.sizeBytes, sha256: result.sha256, source: pull.source, origin: 'download', addedAt: now() };
          await record(entry);
          return toEntry(entry);
        } catch (error) {
          if (error instanceof ModelIntegrityError) await discardPartial(pull.id);
          throw error;
        }
      } finally {
        await release();
      }
    },

    async import(request) {
      assertId(request.id);
      const source = resolve(request.path);
      let size: number;
      try {
        const stats = await stat(source);
        if (!stats.isFile()) throw new ModelImportError({ path: source, problem: 'it is not a regular file' });
        size = stats.size;
      } catch (error) {
        if (error instanceof ModelImportError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        throw new ModelImportError({ path: source, problem: code === 'ENOENT' ? 'it does not exist' : describe(error), cause: error });
      }
      const magic = await readMagic(source).catch((error: unknown) => {
        throw new ModelImportError({ path: source, problem: `it cannot be read (${describe(error)})`, cause: error });
      });
      if (magic !== GGUF_MAGIC) throw new ModelImportError({ path: source, problem: `it is not a GGUF file (it starts with ${describeMagic(magic)})` });
      await mkdir(partialDir, { recursive: true });
      const target = modelPath(request.id);
      const original = await realpath(source);
      let origin: ModelFileOrigin = request.mode;
      if (original === (await realpath(target).catch(() => null))) {
        // Re-importing a file already at its place in the store (say, after the manifest was lost) only records it.
        origin = (await lstat(target)).isSymbolicLink() ? 'link' : 'copy';
      } else {
        const staged = join(partialDir, `${request.id}.gguf.import-${process.pid}-${randomBytes(4).toString('hex')}`);
        try {
          if (request.mode === 'copy') {
            await ensureSpace(request.id, size);
            await copyFile(original, staged, constants.COPYFILE_FICLONE);
          } else {
            await symlink(original, staged);
          }
          await rename(staged, target);
        } catch (error) {
          await rm(staged, { force: true });
          if (error instanceof InsufficientDiskError) throw error;
          throw new ModelImportError({ path: source, problem: `it could not be ${request.mode === 'copy' ? 'copied' : 'linked'} into ${dir} (${describe(error)})`, cause: error });
        }
      }
      const entry: ModelRecord = { id: request.id, sizeBytes: size, sha256: null, source: original, origin, addedAt: now() };
      await record(entry);
      return toEntry(entry);
    },

    async list() {
      return Promise.all((await readManifest()).map(toEntry));
    },

    async remove({ id }) {
      assertId(id);
      const existing = (await readManifest()).find((entry) => entry.id === id);
      const partialBytes = await stat(partPath(id)).then((stats) => stats.size, () => null);
      if (!existing && partialBytes === null) throw new ModelNotFoundError({ id });
      const release = await lock(id, existing?.source ?? id);
      try {
        let freedBytes = partialBytes ?? 0;
        await discardPartial(id);
        if (existing) {
          if (existing.origin !== 'link') freedBytes += await stat(modelPath(id)).then((stats) => stats.size, () => 0);
          await rm(modelPath(id), { force: true });
          await updateManifest((records) => records.filter((entry) => entry.id !== id));
        }
        return { freedBytes };
      } finally {
        await release();
      }
    },

    async diskUsage(): Promise<ModelDiskUsage> {
      await mkdir(dir, { recursive: true });
      let storedBytes = 0;
      let linkedBytes = 0;
      for (const entry of await readManifest()) {
        const size = await stat(modelPath(entry.id)).then((stats) => stats.size, () => 0);
        if (entry.origin === 'link') linkedBytes += size;
        else storedBytes += size;
      }
      let partialBytes = 0;
      const partials = await readdir(partialDir).catch(() => [] as string[]);
      for (const name of partials.filter((candidate) => candidate.endsWith('.part'))) {
        partialBytes += await stat(join(partialDir, name)).then((stats) => stats.size, () => 0);
      }
      return { storedBytes, linkedBytes, partialBytes, freeBytes: await freeBytes() };
    },

    async resolve({ id }) {
      assertId(id);
      const existing = (await readManifest()).find((entry) => entry.id === id);
      return existing && (await isFile(modelPath(id))) ? modelPath(id) : null;
    },
  };
  return store;
}

function assertId(id: string): void {
  if (!idPattern.test(id)) throw new ModelIdInvalidError({ id });
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (stats) => stats.isFile(),
    () => false,
  );
}

/** The first four bytes as latin1 text ('' for an empty file). */
async function readMagic(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await file.read(buffer, 0, 4, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await file.close();
  }
}

function describeMagic(magic: string): string {
  return magic === '' ? 'no bytes: the file is empty' : JSON.stringify(magic);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const staged = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const file = await open(staged, 'w');
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(staged, path);
  } catch (error) {
    await rm(staged, { force: true });
    throw error;
  }
}

function describe(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}
