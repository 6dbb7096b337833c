import { describe, expect, it } from 'vitest';
import { checkStubs } from '../../../src/engine/gates/checkStubs.js';

const isTest = (path: string) => path.startsWith('tests/');
const BASE = 'def add(a, b):\n    return a + b\n';

function stubs(path: string, after: string, before: string | null = BASE) {
  return checkStubs({ changes: [{ path, before, after }], isTest });
}

describe('checkStubs', () => {
  it('passes real implementations', () => {
    expect(stubs('calc.py', `${BASE}\n\ndef mul(a, b):\n    """Multiply."""\n    return a * b\n`).passed).toBe(true);
  });

  it.each([
    ['pass', `${BASE}\n\ndef mul(a, b):\n    pass\n`],
    ['...', `${BASE}\n\ndef mul(a, b):\n    ...\n`],
    ['pass', `${BASE}\n\ndef mul(a, b):\n    """Multiply two numbers.\n\n    Later.\n    """\n    pass\n`],
    ['pass', `${BASE}\n\ndef mul(a, b): pass\n`],
    ['...', `${BASE}\n\nclass Calc:\n    async def mul(\n        self,\n        a: int,\n        b: int,\n    ) -> int:\n        ...\n`],
  ])('flags a Python function whose body is only %s', (body, after) => {
    const rail = stubs('calc.py', after);
    expect(rail).toMatchObject({ name: 'stubs', passed: false, failureType: 'patch', file: 'calc.py' });
    expect(rail.detail).toContain(`has an empty body (${body})`);
  });

  it('flags an existing function whose body is replaced by pass', () => {
    const rail = stubs('calc.py', 'def add(a, b):\n    pass\n');
    expect(rail.detail).toContain('calc.py:1: function add has an empty body (pass)');
  });

  it('ignores empty functions the change did not touch', () => {
    const before = 'def legacy():\n    pass\n';
    expect(stubs('calc.py', `${before}\n\ndef add(a, b):\n    return a + b\n`, before).passed).toBe(true);
  });

  it('allows abstract methods, overloads and Protocol members', () => {
    const after = [
      'from abc import ABC, abstractmethod',
      'from typing import Protocol, overload',
      '',
      'class Shape(ABC):',
      '    @abstractmethod',
      '    def area(self) -> float:',
      '        ...',
      '',
      'class Sized(Protocol):',
      '    def size(self) -> int: ...',
      '',
      '@overload',
      'def parse(x: int) -> int: ...',
      '',
      'def parse(x):',
      '    return x',
      '',
    ].join('\n');
    expect(stubs('shapes.py', after, null).passed).toBe(true);
  });

  it.each([
    ['raise NotImplementedError', 'def mul(a, b):\n    raise NotImplementedError("soon")\n'],
    ['TODO/FIXME', 'def mul(a, b):\n    # TODO handle floats\n    return a * b\n'],
    ['TODO/FIXME', 'export const mul = (a, b) => a * b; // FIXME\n'],
    ['throw "not implemented"', 'export function mul() {\n  throw new Error("Not implemented");\n}\n'],
    ['throw "not implemented"', "export function mul() {\n  throw new Error('not yet implemented');\n}\n"],
    ['throw "not implemented"', 'export function mul() {\n  throw `NOT IMPLEMENTED`;\n}\n'],
    ['unimplemented', 'fn mul() -> i32 {\n    unimplemented!()\n}\n'],
  ])('flags %s in added lines', (label, after) => {
    const rail = stubs('src/calc.ts', after, null);
    expect(rail.passed).toBe(false);
    expect(rail.detail).toContain(`${label}:`);
  });

  it('does not look at removed or unchanged lines, test files, or prose', () => {
    const before = '# TODO old note\nx = 1\n';
    expect(stubs('calc.py', '# TODO old note\nx = 2\n', before).passed).toBe(true);
    expect(stubs('calc.py', 'x = 1\n', before).passed).toBe(true);
    expect(stubs('tests/test_calc.py', 'def helper():\n    pass\n# TODO\n', null).passed).toBe(true);
    expect(stubs('NOTES.md', '- TODO: write docs\n', null).passed).toBe(true);
    expect(stubs('todo_app.py', 'TODO_KEY = "todos"\n', null).passed).toBe(true);
  });

  it('lists every finding with file and line', () => {
    const rail = checkStubs({
      isTest,
      changes: [
        { path: 'b.py', before: null, after: 'x = 1\n# FIXME\n' },
        { path: 'a.py', before: null, after: 'def f():\n    pass\n' },
      ],
    });
    expect(rail.file).toBe('a.py');
    expect(rail.detail).toContain('a.py:1: function f has an empty body (pass)');
    expect(rail.detail).toContain('b.py:2: TODO/FIXME: # FIXME');
  });
});
