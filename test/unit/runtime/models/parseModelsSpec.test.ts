import { describe, expect, it } from 'vitest';
import { ModelsSpecError } from '../../../../src/runtime/models/ModelsSpecError.js';
import type { ModelsSpec } from '../../../../src/runtime/models/ModelsSpec.js';
import { parseModelsSpec } from '../../../../src/runtime/models/parseModelsSpec.js';

const cwd = '/home/me/project';

describe('parseModelsSpec', () => {
  const accepted: Array<[string, ModelsSpec]> = [
    ['local', { kind: 'local', modelPath: null }],
    ['local:', { kind: 'local', modelPath: null }],
    ['local:models/tiny.gguf', { kind: 'local', modelPath: '/home/me/project/models/tiny.gguf' }],
    ['local:/opt/m/one.gguf', { kind: 'local', modelPath: '/opt/m/one.gguf' }],
    ['local:../weights/a:b.gguf', { kind: 'local', modelPath: '/home/me/weights/a:b.gguf' }],
    ['scripted:script.json', { kind: 'scripted', scriptPath: '/home/me/project/script.json' }],
    ['scripted:/tmp/s.json', { kind: 'scripted', scriptPath: '/tmp/s.json' }],
    ['openai:http://127.0.0.1:11434/v1#qwen2.5-coder:7b', { kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5-coder:7b' }],
    ['openai:https://models.example/v1#m#2', { kind: 'openai', baseUrl: 'https://models.example/v1', model: 'm#2' }],
  ];
  it.each(accepted)('reads %s', (spec, expected) => {
    expect(parseModelsSpec({ spec, cwd })).toEqual(expected);
  });

  const refused: Array<[string, string]> = [
    ['', 'names no known model backend'],
    ['llama:/nowhere.gguf', 'names no known model backend'],
    ['Local', 'names no known model backend'],
    ['scripted', 'names no script file'],
    ['scripted:', 'names no script file'],
    ['openai:', 'needs an http(s) base URL and a model name'],
    ['openai:http://127.0.0.1:8080/v1', 'needs an http(s) base URL and a model name'],
    ['openai:http://127.0.0.1:8080/v1#', 'needs an http(s) base URL and a model name'],
    ['openai:file:///tmp#m', 'needs an http(s) base URL and a model name'],
    ['openai:not a url#m', 'needs an http(s) base URL and a model name'],
  ];
  it.each(refused)('refuses "%s"', (spec, problem) => {
    const error = (() => {
      try {
        parseModelsSpec({ spec, cwd });
      } catch (caught) {
        return caught;
      }
      throw new Error('expected the spec to be refused');
    })();
    expect(error).toBeInstanceOf(ModelsSpecError);
    expect((error as ModelsSpecError).message).toBe(`The model spec "${spec}" ${problem}.`);
    expect((error as ModelsSpecError).code).toBe('MODELS_SPEC_INVALID');
    expect((error as ModelsSpecError).context).toMatchObject({ spec });
  });
});
