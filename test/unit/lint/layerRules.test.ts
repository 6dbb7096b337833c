import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The layer-rule messages ESLint reports for `code` placed (virtually) at `filePath` under the repository. */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('the layer rules in eslint.config.js', () => {
  it('refuse electron in the engine, runtime and sandbox', async () => {
    for (const layer of ['engine', 'engine/loop', 'runtime/llama', 'sandbox/docker']) {
      expect(await layerErrors(`src/${layer}/x.ts`, "import { app } from 'electron';\nexport const a = app;\n")).toEqual([
        expect.stringContaining('Only src/main and src/preload import electron'),
      ]);
    }
  });

  it('refuse Node, Electron and other layers in src/shared, and allow zod and shared files', async () => {
    expect(await layerErrors('src/shared/y.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toEqual([
      expect.stringContaining('src/shared is pure TypeScript'),
    ]);
    expect(await layerErrors('src/shared/model/y.ts', "import { join } from 'path';\nexport const j = join;\n")).toHaveLength(1);
    expect(await layerErrors('src/shared/y.ts', "import { createEngine } from '../engine/createEngine.js';\nexport const c = createEngine;\n")).toEqual([
      expect.stringContaining('src/shared may import only src/shared'),
    ]);
    expect(
      await layerErrors('src/shared/model/y.ts', "import { z } from 'zod';\nimport { NightshiftError } from '../NightshiftError.js';\nexport const a = [z, NightshiftError];\n"),
    ).toEqual([]);
  });

  it('keep engine, runtime and sandbox apart, and let the composition root and the CLI use them', async () => {
    expect(await layerErrors('src/engine/loop/x.ts', "import { a } from '../../runtime/llama/a.js';\nexport const b = a;\n")).toEqual([
      expect.stringContaining('src/engine may import only'),
    ]);
    expect(await layerErrors('src/engine/x.ts', "import { a } from '../sandbox/a.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await layerErrors('src/runtime/x.ts', "import { a } from '../engine/a.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await layerErrors('src/sandbox/docker/x.ts', "import { a } from '../../engine/a.js';\nexport const b = a;\n")).toHaveLength(1);
    // Folders of the engine itself and of src/shared that share a layer's name are not that layer.
    expect(
      await layerErrors(
        'src/engine/loop/x.ts',
        "import { a } from '../sandbox/a.js';\nimport { b } from '../../shared/sandbox/Sandbox.js';\nimport { c } from '../../node/c.js';\nexport const d = [a, b, c];\n",
      ),
    ).toEqual([]);
    const wiring = "import { a } from '../engine/a.js';\nimport { b } from '../runtime/b.js';\nimport { c } from '../sandbox/c.js';\nexport const d = [a, b, c];\n";
    expect(await layerErrors('src/assembly/x.ts', wiring)).toEqual([]);
    expect(await layerErrors('src/cli/x.ts', wiring)).toEqual([]);
  });

  it('limit src/node to Node and src/shared, preload to electron and src/shared, and the renderer to src/shared', async () => {
    expect(await layerErrors('src/node/x.ts', "import { a } from '../engine/a.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await layerErrors('src/node/x.ts', "import Docker from 'dockerode';\nexport const d = Docker;\n")).toHaveLength(1);
    expect(await layerErrors('src/node/x.ts', "import { kill } from 'node:process';\nimport { s } from '../shared/s.js';\nexport const k = [kill, s];\n")).toEqual([]);
    expect(await layerErrors('src/preload/x.ts', "import { ipcRenderer } from 'electron';\nimport { a } from '../main/a.js';\nexport const b = [ipcRenderer, a];\n")).toEqual([
      expect.stringContaining('src/preload may import only'),
    ]);
    expect(await layerErrors('src/renderer/state/x.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n")).toEqual([
      expect.stringContaining('no Node built-ins'),
    ]);
    expect(await layerErrors('src/renderer/api/x.ts', "import { a } from '../../main/a.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await layerErrors('src/main/x.ts', "import { a } from '../renderer/a.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await layerErrors('src/main/x.ts', "import { app } from 'electron';\nimport { a } from '../engine/a.js';\nexport const b = [app, a];\n")).toEqual([]);
  });

  it('let the CLI and main use src/host, and keep it from the CLI, main, Electron and the window', async () => {
    const useHost = "import { createMainHost } from '../host/createMainHost.js';\nexport const h = createMainHost;\n";
    expect(await layerErrors('src/cli/x.ts', useHost)).toEqual([]);
    expect(await layerErrors('src/main/x.ts', useHost)).toEqual([]);
    expect(await layerErrors('src/renderer/x.ts', useHost)).toHaveLength(1);
    expect(await layerErrors('src/preload/x.ts', useHost)).toHaveLength(1);
    expect(await layerErrors('src/host/x.ts', "import { a } from '../cli/a.js';\nexport const b = a;\n")).toEqual([
      expect.stringContaining('src/host may import only'),
    ]);
    expect(await layerErrors('src/host/x.ts', "import { a } from '../main/a.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await layerErrors('src/host/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await layerErrors('src/host/x.ts', "import { a } from '../assembly/a.js';\nimport { b } from '../engine/b.js';\nexport const c = [a, b];\n")).toEqual([]);
  });
});
