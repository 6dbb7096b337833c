/** A file's identity and content, read through one open descriptor so both describe the same file. */
export interface FileSnapshot {
  dev: number;
  ino: number;
  /** Modification time, epoch milliseconds. */
  mtimeMs: number;
  content: string;
}
