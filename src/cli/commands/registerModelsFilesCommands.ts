import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { openDataDir } from '../../engine/store/openDataDir.js';
import { resolveDataDir } from '../../engine/store/resolveDataDir.js';
import { loadModelCatalog } from '../../runtime/catalog/loadModelCatalog.js';
import { ModelCatalogError } from '../../runtime/catalog/ModelCatalogError.js';
import type { ModelCatalog } from '../../runtime/catalog/modelCatalogSchema.js';
import type { ModelFileEntry, ModelFileStore, ModelPullProgress } from '../../runtime/store/ModelFileStore.js';
import { createModelFileStore } from '../../runtime/store/createModelFileStore.js';
import { formatBytes } from '../../runtime/store/formatBytes.js';
import { CliUsageError } from '../CliUsageError.js';

const dataDirHelp = 'where Nightshift keeps its data; models go in <data-dir>/models';

/**
 * `nightshift models list|pull|import|rm`: the GGUF files under `<data-dir>/models`. `pull` takes the
 * source and SHA-256 from the model catalog unless `--source` is given; `hf:` sources resolve
 * against `HF_ENDPOINT` when it is set (a mirror).
 */
export function registerModelsFilesCommands(models: Command): void {
  models
    .command('list')
    .description('list the model files on this machine and the disk space they use')
    .option('--json', 'print JSON: { dir, models, diskUsage }')
    .option('--data-dir <dir>', dataDirHelp)
    .action(async (flags: { json?: boolean; dataDir?: string }) => {
      const { store } = openStore(flags.dataDir);
      const entries = await store.list();
      const diskUsage = await store.diskUsage();
      if (flags.json) {
        printJson({ dir: store.dir, models: entries, diskUsage });
        return;
      }
      if (entries.length === 0) {
        process.stdout.write('No models yet. Download one with `nightshift models pull <id>` or add a file with `nightshift models import <file>`.\n');
      } else {
        const width = Math.max(2, ...entries.map((entry) => entry.id.length));
        process.stdout.write(`${'ID'.padEnd(width)}  ${'SIZE'.padStart(9)}  ${'ORIGIN'.padEnd(8)}  SOURCE\n`);
        for (const entry of entries) {
          const missing = entry.present ? '' : '  (file missing)';
          process.stdout.write(`${entry.id.padEnd(width)}  ${formatBytes({ bytes: entry.sizeBytes }).padStart(9)}  ${entry.origin.padEnd(8)}  ${entry.source}${missing}\n`);
        }
      }
      const partial = diskUsage.partialBytes > 0 ? `, ${formatBytes({ bytes: diskUsage.partialBytes })} in partial downloads` : '';
      process.stdout.write(
        `${formatBytes({ bytes: diskUsage.storedBytes })} stored, ${formatBytes({ bytes: diskUsage.linkedBytes })} linked${partial}; ${formatBytes({ bytes: diskUsage.freeBytes })} free in ${store.dir}\n`,
      );
    });

  models
    .command('pull <id>')
    .description('download a model file (resuming an interrupted download) and verify it')
    .option('--source <uri>', 'hf:<user>/<repo>/<file.gguf> or an https:// URL (default: the catalog entry for <id>)')
    .option('--sha256 <hex>', 'expected SHA-256 of the file (default: the catalog entry, when --source is not given)')
    .option('--size <bytes>', 'exact expected size in bytes, checked before and after the download', parseByteCount)
    .option('--json', 'print the added model as JSON')
    .option('--data-dir <dir>', dataDirHelp)
    .action(async (id: string, flags: { source?: string; sha256?: string; size?: number; json?: boolean; dataDir?: string }) => {
      const { store, dataDir } = openStore(flags.dataDir);
      const wanted = flags.source ? { source: flags.source, sha256: flags.sha256, sizeBytes: flags.size } : await fromCatalog(id, dataDir, flags);
      const tty = Boolean(process.stderr.isTTY);
      process.stderr.write(`Pulling ${id} from ${store.resolveSource({ source: wanted.source })}\n`);
      const controller = new AbortController();
      const cancel = () => controller.abort();
      process.once('SIGINT', cancel);
      let entry: ModelFileEntry;
      try {
        entry = await store.pull({
          id,
          source: wanted.source,
          ...(wanted.sha256 ? { sha256: wanted.sha256 } : {}),
          ...(wanted.sizeBytes === undefined ? {} : { expectedSizeBytes: wanted.sizeBytes }),
          onProgress: createProgressLine({ write: (text) => process.stderr.write(text), tty }),
          signal: controller.signal,
        });
      } finally {
        process.off('SIGINT', cancel);
        if (tty) process.stderr.write('\n');
      }
      if (flags.json) printJson(entry);
      else process.stdout.write(`Pulled ${entry.id}: ${entry.path} (${formatBytes({ bytes: entry.sizeBytes })}${entry.sha256 ? `, sha256 ${entry.sha256}` : ''})\n`);
    });

  models
    .command('import <file>')
    .description('add a GGUF file that is already on this machine (copied, or linked with --link)')
    .option('--id <id>', 'model id (default: the file name without .gguf, lower-cased)')
    .option('--link', 'link to the file instead of copying it; it must then stay where it is')
    .option('--json', 'print the added model as JSON')
    .option('--data-dir <dir>', dataDirHelp)
    .action(async (file: string, flags: { id?: string; link?: boolean; json?: boolean; dataDir?: string }) => {
      const { store } = openStore(flags.dataDir);
      const id = flags.id ?? idFromFileName(file);
      const entry = await store.import({ id, path: file, mode: flags.link ? 'link' : 'copy' });
      if (flags.json) printJson(entry);
      else process.stdout.write(`Imported ${entry.id} (${entry.origin === 'link' ? 'linked' : 'copied'}, ${formatBytes({ bytes: entry.sizeBytes })}): ${entry.path}\n`);
    });

  models
    .command('rm <id>')
    .description('delete a model file (only the link for linked imports) and any partial download of it')
    .option('--json', 'print { id, freedBytes }')
    .option('--data-dir <dir>', dataDirHelp)
    .action(async (id: string, flags: { json?: boolean; dataDir?: string }) => {
      const { store } = openStore(flags.dataDir);
      const { freedBytes } = await store.remove({ id });
      if (flags.json) printJson({ id, freedBytes });
      else process.stdout.write(`Removed ${id}; freed ${formatBytes({ bytes: freedBytes })}.\n`);
    });
}

function openStore(explicitDataDir: string | undefined): { store: ModelFileStore; dataDir: string } {
  const { dir } = openDataDir({ dir: resolveDataDir(explicitDataDir ? { explicit: explicitDataDir } : {}) });
  const endpoint = process.env.HF_ENDPOINT;
  return { store: createModelFileStore({ dir: join(dir, 'models'), ...(endpoint ? { huggingFaceEndpoint: endpoint } : {}) }), dataDir: dir };
}

/** The catalog's source and SHA-256 for `id`, with the user's `<data-dir>/models.json` overrides applied. */
async function fromCatalog(
  id: string,
  dataDir: string,
  flags: { sha256?: string; size?: number },
): Promise<{ source: string; sha256: string | undefined; sizeBytes: number | undefined }> {
  let catalog: ModelCatalog;
  try {
    catalog = await loadModelCatalog({ overrides: [join(dataDir, 'models.json')] });
  } catch (error) {
    if (!(error instanceof ModelCatalogError)) throw error;
    throw new CliUsageError({
      message: `Cannot look up model "${id}" in the catalog. ${error.message}`,
      hint: `Pass the file with --source hf:<user>/<repo>/<file.gguf> (or an https:// URL), or fix the catalog. ${error.hint}`,
      context: { id, ...error.context },
    });
  }
  const model = catalog.models.find((candidate) => candidate.id === id);
  if (!model) {
    throw new CliUsageError({
      message: `Model "${id}" is not in the catalog.`,
      hint: `Pass the file with --source hf:<user>/<repo>/<file.gguf> (or an https:// URL), or use one of: ${catalog.models.map((candidate) => candidate.id).join(', ')}.`,
      context: { id },
    });
  }
  if (!model.source.startsWith('hf:')) {
    throw new CliUsageError({
      message: `The catalog gives model "${id}" as the local file ${model.source}, which is not downloaded.`,
      hint: `Add it with \`nightshift models import ${model.source} --id ${id}\`.`,
      context: { id, source: model.source },
    });
  }
  if (model.parts !== undefined) {
    throw new CliUsageError({
      message: `Model "${id}" is published as ${model.parts} files, and pull fetches single-file models only.`,
      hint: `Download all ${model.parts} parts next to each other, then run \`nightshift models import <first part> --id ${id} --link\`.`,
      context: { id, parts: model.parts },
    });
  }
  // The catalog's fileSizeBytes is rounded for most models, so it cannot serve as the exact size check.
  return { source: model.source, sha256: flags.sha256 ?? model.sha256, sizeBytes: flags.size };
}

/** A live progress line on a terminal; elsewhere one line per tenth of the file. */
function createProgressLine(options: { write: (text: string) => void; tty: boolean }): (progress: ModelPullProgress) => void {
  let lastTenth = -1;
  return (progress) => {
    const total = progress.totalBytes;
    const percent = total ? (100 * progress.receivedBytes) / total : null;
    const text = `${percent === null ? '' : `${percent.toFixed(1).padStart(5)}%  `}${formatBytes({ bytes: progress.receivedBytes })}${total ? ` / ${formatBytes({ bytes: total })}` : ''}  ${formatBytes({ bytes: Math.round(progress.bytesPerSecond) })}/s`;
    if (options.tty) {
      options.write(`\r\u001b[K  ${text}`);
      return;
    }
    if (percent === null) return;
    const tenth = Math.floor(percent / 10);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    options.write(`  ${text}\n`);
  };
}

function idFromFileName(file: string): string {
  return basename(file)
    .replace(/\.gguf$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
}

function parseByteCount(value: string): number {
  const bytes = Number(value);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new CliUsageError({ message: `--size must be a whole number of bytes, not "${value}".`, hint: 'Pass the exact file size, e.g. --size 4683073536.' });
  }
  return bytes;
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
