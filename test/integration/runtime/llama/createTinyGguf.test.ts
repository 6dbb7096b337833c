import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GgufInsights, getLlama, LlamaChatSession, readGgufFileInfo, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTinyGguf } from '../../../fixtures/createTinyGguf.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

let llama: Llama;

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never' });
});

afterAll(async () => {
  await llama?.dispose();
});

describe('createTinyGguf', () => {
  it('writes a GGUF whose metadata node-llama-cpp reads back', async () => {
    const path = join(makeTempDir(), 'tiny.gguf');
    const written = createTinyGguf({ path, name: 'meta-check', vocabSize: 320, embeddingLength: 96, blockCount: 3, headCount: 6, contextLength: 4096 });
    expect(written).toEqual({ path, sizeBytes: statSync(path).size });

    const info = await readGgufFileInfo(path);
    expect(info.version).toBe(3);
    expect(info.metadata.general.architecture).toBe('llama');
    expect(info.metadata.general.name).toBe('meta-check');
    expect(info.architectureMetadata).toMatchObject({
      context_length: 4096,
      embedding_length: 96,
      block_count: 3,
      attention: { head_count: 6, head_count_kv: 6 },
    });
    expect(info.metadata.tokenizer.ggml.model).toBe('llama');
    expect(info.metadata.tokenizer.ggml.tokens).toHaveLength(320);
    expect(info.metadata.tokenizer.chat_template).toContain('<|im_start|>');
    // token_embd, output_norm, output, and nine tensors per block
    expect(info.tensorInfo).toHaveLength(3 + 3 * 9);
  });

  it('gives GgufInsights what it needs for memory estimates', async () => {
    const path = join(makeTempDir(), 'tiny.gguf');
    const { sizeBytes } = createTinyGguf({ path });
    const insights = await GgufInsights.from(await readGgufFileInfo(path), llama);

    expect(insights.isSupportedByLlamaCpp).toBe(true);
    expect(insights.getWarnings(path)).toEqual([]);
    expect(insights.totalLayers).toBe(3);
    expect(insights.trainContextSize).toBe(2048);
    // the weights are the whole file but for header and metadata
    expect(insights.modelSize).toBeGreaterThan(sizeBytes * 0.8);
    expect(insights.modelSize).toBeLessThanOrEqual(sizeBytes);
    const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 });
    expect(model.gpuVram).toBe(0);
    expect(model.cpuRam).toBeGreaterThanOrEqual(insights.modelSize);
    const small = await insights.estimateContextResourceRequirementsV2({ contextSize: 512, modelGpuLayers: 0 });
    const large = await insights.estimateContextResourceRequirementsV2({ contextSize: 2048, modelGpuLayers: 0 });
    expect(large.cpuRam).toBeGreaterThan(small.cpuRam);
  });

  it('loads in llama.cpp with a ChatML template and every printable ASCII character as one token', async () => {
    const path = join(makeTempDir(), 'tiny.gguf');
    createTinyGguf({ path });
    const model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
    try {
      expect(model.fileInsights.totalLayers).toBe(3);
      for (let code = 0x20; code <= 0x7e; code++) {
        const char = String.fromCharCode(code);
        const tokens = model.tokenize(char);
        expect(tokens, JSON.stringify(char)).toHaveLength(1);
        expect(model.detokenize(tokens)).toBe(char);
      }
      const text = 'Tabs\tnewlines\nand ünïcode ✓ survive';
      expect(model.detokenize(model.tokenize(text))).toBe(text);
      expect(model.tokens.bos).not.toBeNull();
      expect(model.tokens.eos).not.toBeNull();

      const context = await model.createContext({ contextSize: 512, threads: 1 });
      const session = new LlamaChatSession({ contextSequence: context.getSequence() });
      expect(session.chatWrapper.wrapperName).toBe('ChatML');
      await context.dispose();
    } finally {
      await model.dispose();
    }
  });

  it('gives equal bytes for equal options and distinct models for distinct names or seeds', () => {
    const dir = makeTempDir();
    const make = (file: string, name: string, seed?: number) => {
      createTinyGguf({ path: join(dir, file), name, ...(seed === undefined ? {} : { seed }) });
      return readFileSync(join(dir, file));
    };
    const first = make('a.gguf', 'alpha');
    expect(make('a-again.gguf', 'alpha').equals(first)).toBe(true);
    const otherSeed = make('a-seed.gguf', 'alpha', 7);
    const otherName = make('b.gguf', 'beta');
    expect(otherSeed.length).toBe(first.length);
    expect(otherSeed.equals(first)).toBe(false);
    expect(otherName.equals(first)).toBe(false);
    // the weights differ too, not just general.name: compare the last kilobyte (tensor data)
    expect(otherName.subarray(-1024).equals(first.subarray(-1024))).toBe(false);
  });

  it('refuses sizes it cannot build', () => {
    const path = join(makeTempDir(), 'never.gguf');
    expect(() => createTinyGguf({ path, vocabSize: 100 })).toThrow(/vocabSize must be an integer of at least 261/);
    expect(() => createTinyGguf({ path, embeddingLength: 64, headCount: 5 })).toThrow(/even head size/);
  });
});
