import { readFile } from 'node:fs/promises';
import { resolveWorkspacePath } from '../workspace/resolveWorkspacePath.js';

/** The current contents of the given files as a prompt block; missing files are marked as new. */
export async function readWorkspaceFiles(options: {
  root: string;
  paths: string[];
  /** Characters kept per file. Default 12000. */
  maxCharsPerFile?: number;
}): Promise<string> {
  const max = options.maxCharsPerFile ?? 12_000;
  const blocks: string[] = [];
  for (const path of [...new Set(options.paths)]) {
    let content: string | null = null;
    try {
      content = await readFile(resolveWorkspacePath({ root: options.root, path }), 'utf8');
    } catch {
      content = null;
    }
    if (content === null) blocks.push(`--- ${path} (does not exist yet: create it)`);
    else {
      const body = content.length > max ? `${content.slice(0, max)}\n[... ${content.length - max} chars omitted ...]` : content;
      blocks.push(`--- ${path}\n${body}`);
    }
  }
  return blocks.join('\n\n');
}
