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
    ['raise NotImplementedError', 'src/calc.py', 'def mul(a, b):\n    raise NotImplementedError("soon")\n'],
    ['TODO/FIXME', 'src/calc.py', 'def mul(a, b):\n    # TODO handle floats\n    return a * b\n'],
    ['TODO/FIXME', 'src/calc.ts', 'export const mul = (a, b) => a * b; // FIXME\n'],
    ['throw "not implemented"', 'src/calc.ts', 'export function mul() {\n  throw new Error("Not implemented");\n}\n'],
    ['throw "not implemented"', 'src/calc.js', "export function mul() {\n  throw new Error('not yet implemented');\n}\n"],
    ['throw "not implemented"', 'src/calc.ts', 'export function mul() {\n  throw `NOT IMPLEMENTED`;\n}\n'],
    ['unimplemented', 'src/calc.rs', 'fn mul() -> i32 {\n    unimplemented!()\n}\n'],
  ])('flags %s in added lines', (label, path, after) => {
    const rail = stubs(path, after, null);
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

  describe('names and string values called TODO are code', () => {
    it.each([
      ['a Python enum member', 'status.py', 'from enum import Enum\n\n\nclass Status(Enum):\n    TODO = "todo"\n    DONE = "done"\n'],
      ['a comparison with Status.TODO', 'tasks.py', 'def pending(tasks):\n    return [task for task in tasks if task.status == Status.TODO]\n'],
      ['an if on Status.TODO', 'tasks.py', 'def label(task):\n    if task.status == Status.TODO:\n        return "open"\n    return "closed"\n'],
      ['a Python string "TODO"', 'tasks.py', 'DEFAULT_STATUS = "TODO"\nLABELS = {"TODO": "To do", "DONE": "Done"}\n'],
      ['Python names with todo in them', 'todo.py', 'class Todo:\n    pass\n\n\ndef todo_list(store):\n    return store.todos()\n'],
      ['a marker inside a Python string', 'tasks.py', 'HEADER = "# TODO list"\nNOTE = f"{DEFAULT["x"]} # FIXME"\n'],
      ['prose about the TODO state in a docstring', 'tasks.py', 'def advance(task):\n    """Move a task from TODO to DOING; XXX-XXX is the ticket mask."""\n    return task.next()\n'],
      ['a comment that names the enum member', 'tasks.py', '# Status.TODO tasks are listed first\nORDER = 1\n'],
      ['a JS object with a TODO key and a TODO value', 'src/status.js', "export const Status = { TODO: 'todo', DONE: 'done' };\nexport const task = { status: 'TODO' };\n"],
      ['a TypeScript enum', 'src/status.ts', 'export enum Status {\n  TODO,\n  DONE,\n}\n'],
      ['todoList() and class Todo', 'src/todo.ts', 'export class Todo {}\nexport function todoList(): Todo[] {\n  return [new Todo()];\n}\n'],
      ['markers inside JS strings and templates', 'src/text.ts', "export const a = '// TODO';\nexport const b = `/* FIXME */ ${a}`;\nexport const c = \"# TODO\";\n"],
      ['JSX text', 'src/view.tsx', 'export const View = () => <p>// TODO: nothing here</p>;\n'],
      ['an error message about a todo', 'src/todo.ts', "export function find(id: string): never {\n  throw new NotFoundError('Todo not found: ' + id);\n}\n"],
      ['empty bodies that owe no value', 'src/hooks.ts', 'export function noop(): void {}\nexport const onClick = () => {};\nexport async function flush(): Promise<void> {}\nclass A {\n  constructor() {}\n}\n'],
      ['a Python abstract method raising NotImplementedError', 'shapes.py', 'from abc import ABC, abstractmethod\n\n\nclass Shape(ABC):\n    @abstractmethod\n    def area(self) -> float:\n        raise NotImplementedError\n'],
      ['a .pyi type stub', 'calc.pyi', 'def mul(a: int, b: int) -> int: ...\n'],
      ['comments that name markers as code', 'src/status.ts', '/** `TODO` is the first state; the TODO/FIXME markers are for humans. */\nexport const first = 0;\n'],
      ['an assertion signature with an empty body', 'src/cast.ts', 'export function assertIs<T>(_value: unknown): asserts _value is T {}\n'],
      ['a Go string', 'main.go', 'package main\n\nconst status = "TODO" // the first column\nvar raw = `// FIXME`\n'],
      ['a file whose language is not read', 'config.yaml', '# TODO: tune\nretries: 3\n'],
    ])('passes %s', (_label, path, after) => {
      const rail = stubs(path, after, null);
      expect(rail.detail).toBe('no placeholder code is added');
      expect(rail.passed).toBe(true);
    });
  });

  describe('placeholders in comments, docstrings and bodies', () => {
    it.each([
      ['# TODO: implement', 'calc.py', 'def mul(a, b):\n    return a * b  # TODO: implement\n', 'calc.py:2: TODO/FIXME: return a * b  # TODO: implement'],
      ['// FIXME later', 'src/calc.ts', 'export function mul(a: number, b: number): number {\n  // FIXME later\n  return a * b;\n}\n', 'src/calc.ts:2: TODO/FIXME: // FIXME later'],
      ['a """TODO""" docstring as the whole body', 'calc.py', 'def mul(a, b):\n    """TODO"""\n', 'calc.py:2: TODO/FIXME: """TODO"""'],
      ['TODO in the third line of a docstring', 'calc.py', 'def mul(a, b):\n    """Multiply.\n\n    TODO: floats\n    """\n    return a * b\n', 'calc.py:4: TODO/FIXME: TODO: floats'],
      ['a module docstring', 'calc.py', '"""XXX: split this module."""\nX = 1\n', 'calc.py:1: TODO/FIXME: """XXX: split this module."""'],
      ['/* TODO */ on an added line', 'src/calc.ts', 'export const rate = 0.2; /* TODO */\n', 'src/calc.ts:1: TODO/FIXME: export const rate = 0.2; /* TODO */'],
      ['a JSDoc @todo', 'src/calc.ts', '/**\n * Multiplies.\n * @todo handle bigint\n */\nexport const mul = (a: number, b: number) => a * b;\n', 'src/calc.ts:3: TODO/FIXME: * @todo handle bigint'],
      ["throw new Error('TODO')", 'src/calc.ts', "export function mul(a: number, b: number): number {\n  throw new Error('TODO');\n}\n", 'src/calc.ts:2: throw "TODO": throw new Error(\'TODO\');'],
      ['a quick-fix "Method not implemented."', 'src/calc.ts', "class Calc {\n  mul(): number {\n    throw new Error('Method not implemented.');\n  }\n}\n", 'src/calc.ts:3: throw "not implemented"'],
      ['a NotImplementedError class', 'src/calc.js', 'export function mul() {\n  throw new NotImplementedError();\n}\n', 'src/calc.js:2: throw "not implemented"'],
      ['an empty body with a declared return type', 'src/calc.ts', 'export function total(items: number[]): number {}\n', 'src/calc.ts:1: function total has an empty body ({})'],
      ['an empty method with a declared return type', 'src/calc.ts', 'export class Calc {\n  get rate(): number {\n  }\n}\n', 'src/calc.ts:2: function rate has an empty body ({})'],
      ['an empty body saying implement me', 'src/calc.js', 'export const save = (item) => {\n  // implement me\n};\n', 'src/calc.js:1: function save has an empty body ({})'],
      ['raise NotImplementedError', 'calc.py', 'def mul(a, b):\n    raise NotImplementedError\n', 'calc.py:2: raise NotImplementedError: raise NotImplementedError'],
      ['an error raised with "not implemented"', 'calc.py', 'def mul(a, b):\n    if a:\n        raise ValueError(\n            "not implemented yet"\n        )\n    return 0\n', 'calc.py:3: raise "not implemented"'],
      ['Rust todo!()', 'src/lib.rs', "fn mul<'a>(a: &'a i32) -> i32 {\n    todo!()\n}\n", 'src/lib.rs:2: todo!: todo!()'],
      ['a Go comment and panic', 'calc.go', 'package calc\n\n// TODO: floats\nfunc Mul() int {\n\tpanic("not implemented")\n}\n', 'calc.go:5: panic "not implemented"'],
      ['a Java throw', 'Calc.java', 'class Calc {\n  int mul() {\n    throw new UnsupportedOperationException("Not implemented yet");\n  }\n}\n', 'Calc.java:3: throw "not implemented"'],
      ['a Ruby raise', 'calc.rb', 'def mul(a, b)\n  raise NotImplementedError\nend\n', 'calc.rb:2: raise NotImplementedError'],
      ['a shell comment', 'run.sh', 'echo "$#" # FIXME quoting\n', 'run.sh:1: TODO/FIXME: echo "$#" # FIXME quoting'],
    ])('refuses %s', (_label, path, after, expected) => {
      const rail = stubs(path, after, null);
      expect(rail).toMatchObject({ name: 'stubs', passed: false, failureType: 'patch', file: path });
      expect(rail.detail).toContain(expected);
    });

    it('reports only the added line of a comment block', () => {
      const before = 'export const a = 1;\n/*\n * Rates.\n * TODO: check rounding\n */\nexport const rate = 0.2;\n';
      expect(stubs('src/rate.ts', before.replace('0.2', '0.25'), before).passed).toBe(true);
      const rail = stubs('src/rate.ts', before.replace(' * Rates.', ' * Rates.\n * FIXME: negative rates'), before);
      expect(rail.detail).toBe('src/rate.ts:4: TODO/FIXME: * FIXME: negative rates\nImplement the behaviour instead of leaving a placeholder.');
    });
  });
});
