import { describe, expect, it } from 'vitest';
import { ModelSourceError } from '../../../../src/runtime/store/ModelSourceError.js';
import { resolveModelSource } from '../../../../src/runtime/store/resolveModelSource.js';

describe('resolveModelSource', () => {
  it('turns hf: URIs into Hugging Face resolve URLs', () => {
    expect(resolveModelSource({ source: 'hf:Qwen/Qwen2.5-Coder-7B-Instruct-GGUF/qwen2.5-coder-7b-instruct-q4_k_m.gguf' })).toBe(
      'https://huggingface.co/Qwen/Qwen2.5-Coder-7B-Instruct-GGUF/resolve/main/qwen2.5-coder-7b-instruct-q4_k_m.gguf',
    );
    expect(resolveModelSource({ source: 'hf:org/repo/sub dir/Model Q4.gguf' })).toBe('https://huggingface.co/org/repo/resolve/main/sub%20dir/Model%20Q4.gguf');
  });

  it('passes http and https URLs through', () => {
    expect(resolveModelSource({ source: 'https://example.com/m.gguf?download=1' })).toBe('https://example.com/m.gguf?download=1');
    expect(resolveModelSource({ source: 'http://127.0.0.1:8080/m.gguf' })).toBe('http://127.0.0.1:8080/m.gguf');
  });

  it.each([
    ['hf:', 'does not start with hf:<user>/<repo>/'],
    ['hf:org', 'does not start with hf:<user>/<repo>/'],
    ['hf:org/repo', 'names a repository but no file'],
    ['hf:org/repo/', 'empty'],
    ['hf:org/repo/../x.gguf', '".."'],
    ['hf:org/repo/weights.bin', 'not a .gguf file'],
    ['hf:-org/repo/m.gguf', 'does not start with'],
    ['ftp://example.com/m.gguf', 'ftp: scheme'],
    ['file:///tmp/m.gguf', 'file: scheme'],
    ['models/m.gguf', 'neither an hf: URI nor a URL'],
  ])('rejects %s', (source, problem) => {
    let caught: unknown;
    try {
      resolveModelSource({ source });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ModelSourceError);
    expect((caught as ModelSourceError).message).toContain(problem);
    expect((caught as ModelSourceError).code).toBe('MODEL_SOURCE_INVALID');
  });
});

describe('resolveModelSource with a mirror', () => {
  it('resolves hf: sources against the given endpoint', () => {
    expect(resolveModelSource({ source: 'hf:org/repo/m.gguf', huggingFaceEndpoint: 'http://127.0.0.1:9000/' })).toBe('http://127.0.0.1:9000/org/repo/resolve/main/m.gguf');
  });
});
