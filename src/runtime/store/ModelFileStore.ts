/** How a model file came to be in the store. */
export type ModelFileOrigin = 'download' | 'copy' | 'link';

/** One model file the store knows about. Times are epoch milliseconds. */
export interface ModelFileEntry {
  /** Catalog id, also the file name: `<dir>/<id>.gguf`. */
  id: string;
  /** Absolute path of `<dir>/<id>.gguf` (a symbolic link for `link` imports). */
  path: string;
  /** Size of the model file in bytes, as recorded when it was added. */
  sizeBytes: number;
  /** Lower-case hex SHA-256 of the file; null for imports, which are not hashed to keep them fast. */
  sha256: string | null;
  /** What it came from: the `hf:` URI or URL for downloads, the absolute original path for imports. */
  source: string;
  origin: ModelFileOrigin;
  addedAt: number;
  /** False when the file has gone missing, e.g. the target of a `link` import was moved or deleted. */
  present: boolean;
}

/** Download progress. */
export interface ModelPullProgress {
  /** Bytes of the file on disk so far, including bytes kept from an earlier, interrupted pull. */
  receivedBytes: number;
  /** Full size of the file; null when the server does not say. */
  totalBytes: number | null;
  /** Average transfer rate of this pull so far, in bytes per second. */
  bytesPerSecond: number;
}

/** Space the store uses and has, in bytes. */
export interface ModelDiskUsage {
  /** Downloaded and copied model files in the store's folder. */
  storedBytes: number;
  /** Files imported as links; they live elsewhere and take no space in the store's folder. */
  linkedBytes: number;
  /** Partial downloads waiting to be resumed. */
  partialBytes: number;
  /** Free space available to this user on the store's file system. */
  freeBytes: number;
}

/** Model files on disk, under `<dataDir>/models`, with a JSON manifest of what each one is. */
export interface ModelFileStore {
  /** Absolute path of the store's folder. */
  readonly dir: string;
  /**
   * Downloads a model file, resuming a partial download left by an earlier pull, verifies it and adds it.
   * Returns the existing entry without touching the network when the id is already present (and its
   * recorded SHA-256, if any, matches `sha256`).
   */
  pull(options: {
    /** Model id: letters, digits, `.`, `_` and `-`, starting with a letter or digit. */
    id: string;
    /** `hf:<user>/<repo>/<path/to/file.gguf>` or an `https://` (or `http://`) URL. */
    source: string;
    /** Expected size in bytes; checked before and after the download when given. */
    expectedSizeBytes?: number;
    /** Expected lower-case or upper-case hex SHA-256; when given it is the integrity check. */
    sha256?: string;
    /** Called as bytes arrive, at most about ten times a second, and once at the end. */
    onProgress?: (progress: ModelPullProgress) => void;
    /** Cancels the download; the partial file is kept for the next pull to resume. */
    signal?: AbortSignal;
  }): Promise<ModelFileEntry>;
  /** Adds a GGUF file that is already on this machine, by copying it or by linking to it. */
  import(options: {
    /** Model id, as for `pull`. */
    id: string;
    /** Path of the `.gguf` file; relative paths resolve against the cwd. */
    path: string;
    /** `copy`: the store owns a copy. `link`: a symbolic link to the file, which must stay where it is. */
    mode: 'copy' | 'link';
  }): Promise<ModelFileEntry>;
  /** Every recorded model, sorted by id. */
  list(): Promise<ModelFileEntry[]>;
  /**
   * Deletes a model's file (only the link for `link` imports), its manifest entry and any partial download.
   * Throws `ModelNotFoundError` when there is neither.
   */
  remove(options: { id: string }): Promise<{ freedBytes: number }>;
  diskUsage(): Promise<ModelDiskUsage>;
  /** Absolute path of a model's file, or null when it is not recorded or its file is missing. */
  resolve(options: { id: string }): Promise<string | null>;
  /** The URL a source downloads from; throws `ModelSourceError` for a malformed source. */
  resolveSource(options: { source: string }): string;
}
