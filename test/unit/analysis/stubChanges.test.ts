import { execFileSync } from 'node:child_process';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisToolError } from '../../../src/engine/analysis/AnalysisToolError.js';
import { stubChanges } from '../../../src/engine/analysis/stubChanges.js';
import type { FileChange } from '../../../src/engine/ports/Vcs.js';
import { createLocalSandbox } from '../../../src/sandbox/createLocalSandbox.js';
import { projectConfigSchema } from '../../../src/shared/projectConfigSchema.js';
import { writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const sandbox = createLocalSandbox();
afterAll(() => sandbox.dispose());
const config = projectConfigSchema.parse({ commandTimeoutMs: 30_000 });

async function stub(changes: FileChange[]): Promise<FileChange[]> {
  return stubChanges({ changes, sandbox, workspaceDir: makeTempDir(), config });
}

/** The stubbed files written to a fresh folder, and `script` run there by python3 (it raises on a failed check). */
function runPython(files: FileChange[], script: string): string {
  const dir = makeTempDir();
  writeFiles(dir, Object.fromEntries(files.map((file) => [file.path, file.after as string])));
  return execFileSync('python3', ['-B', '-c', script], { cwd: dir, encoding: 'utf8' });
}

/** The stubbed TS/JS files transpiled to ES modules (`.mjs`) in a fresh folder, and `script` run there by node. */
function runScript(files: FileChange[], script: string): string {
  const dir = makeTempDir();
  const modules: Record<string, string> = { 'check.mjs': script };
  for (const file of files) {
    const content = file.after as string;
    expect(parseErrors(file.path, content), `${file.path} parses`).toEqual([]);
    const js = ts.transpileModule(content, { fileName: file.path, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    modules[file.path.replace(/\.[jt]s$/, '.mjs')] = js.replace(/from '(\.\/[^']+)'/g, "from '$1.mjs'");
  }
  writeFiles(dir, modules);
  return execFileSync('node', ['check.mjs'], { cwd: dir, encoding: 'utf8' });
}

function parseErrors(path: string, content: string): string[] {
  const result = ts.transpileModule(content, { fileName: path, reportDiagnostics: true, compilerOptions: { allowJs: true } });
  return (result.diagnostics ?? []).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
}

const PYTHON_MODULE = `"""Pricing."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import lru_cache

RATE = 0.2
square = lambda x: x * x


class Color(enum.Enum):
    RED = 1
    TODO = 2

    def label(self) -> str:
        return self.name.lower()


@dataclass
class Item:
    name: str
    price: int = 0
    tags: list = field(default_factory=list)

    @property
    def total(self) -> float:
        return self.price * (1 + RATE)

    @classmethod
    def free(cls, name):
        def make():
            return cls(name, 0)
        return make()

    @staticmethod
    def parse(text):
        name, price = text.split(":")
        return Item(name, int(price))

    def __str__(self):
        return f"{self.name}: {self.price}"


class Bag:
    def __init__(self):
        self.items = [1]

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return iter(self.items)


@lru_cache(maxsize=None)
def add(a, b=2):
    """Adds."""
    return a + b


async def fetch(n):
    return n * 2


def numbers():
    yield 1
    yield 2
`;

describe('stubChanges on Python', () => {
  it('keeps a new module importable with its names, constants and classes while every function returns nothing', async () => {
    const [stubbed] = await stub([{ path: 'shop/pricing.py', before: null, after: PYTHON_MODULE }]);
    expect(stubbed).toMatchObject({ path: 'shop/pricing.py', before: PYTHON_MODULE });
    expect(stubbed?.after).not.toContain('self.price * (1 + RATE)');
    const output = runPython(
      [stubbed as FileChange],
      [
        'import asyncio, dataclasses',
        'from shop import pricing as m',
        'assert m.add(1, 2) is None',
        'assert m.RATE == 0.2 and m.square(3) == 9',
        'assert m.Color.RED.value == 1 and m.Color.TODO.value == 2 and m.Color.RED.label() is None',
        'item = m.Item("pen", 3, ["a"])',
        'assert dataclasses.is_dataclass(item) and item.price == 3 and item.tags == ["a"]',
        'assert item.total is None and m.Item.free("x") is None and m.Item.parse("a:1") is None',
        // Dunders Python type-checks return a zero, so str() and len() work and only assertions fail.
        'assert str(item) == "" and len(m.Bag()) == 0 and list(m.Bag()) == []',
        'assert asyncio.run(m.fetch(2)) is None and m.numbers() is None',
        'print("stubbed ok")',
      ].join('\n'),
    );
    expect(output).toContain('stubbed ok');
  });

  it('gives an edited module its old behaviour plus stubs of the functions, classes, members and imports it adds', async () => {
    const before = [
      'import os',
      '',
      '',
      'class Account:',
      '    """An account."""',
      '',
      '    owner = "nobody"',
      '',
      '    def balance(self):',
      '        return 10',
      '',
      '    class Limits:',
      '        def daily(self):',
      '            return 100',
      '',
      '',
      'def fee(amount):',
      '    return amount * 2  # the old rule',
      '',
    ].join('\n');
    const after = [
      'import os',
      'from decimal import Decimal',
      '',
      '',
      'class Account:',
      '    """An account."""',
      '',
      '    currency: str = "EUR"',
      '    owner = "nobody"',
      '',
      '    def balance(self):',
      '        return 20',
      '',
      '    @staticmethod',
      '    def parse(text):',
      '        return Account()',
      '',
      '    @property',
      '    def rounded(self):',
      '        return Decimal(self.balance())',
      '',
      '    class Limits:',
      '        def daily(self):',
      '            return 100',
      '',
      '        def weekly(self):',
      '            return 700',
      '',
      '',
      'def fee(amount):',
      '    return amount * 3',
      '',
      '',
      'def refund(amount: Decimal) -> Decimal:',
      '    return -amount',
      '',
      '',
      'class Ledger(Account):',
      '    entries = []',
      '',
      '    def post(self, amount):',
      '        self.entries.append(amount)',
      '',
      '',
      'LIMIT = 10',
      '',
    ].join('\n');
    const [stubbed] = await stub([{ path: 'bank.py', before, after }]);
    // The file as it was stays byte-identical around what was added.
    expect(stubbed?.after).toContain('    return amount * 2  # the old rule\n');
    const output = runPython(
      [stubbed as FileChange],
      [
        'import bank',
        'assert bank.fee(1) == 2 and bank.Account().balance() == 10 and bank.Account.Limits().daily() == 100',
        'assert bank.refund(1) is None and bank.Decimal is not None and bank.LIMIT == 10',
        'assert bank.Account.parse("x") is None and bank.Account().rounded is None and bank.Account.currency == "EUR"',
        'assert bank.Account.Limits().weekly() is None',
        'ledger = bank.Ledger()',
        'assert ledger.post(5) is None and ledger.entries == [] and ledger.balance() == 10',
        'print("edited ok")',
      ].join('\n'),
    );
    expect(output).toContain('edited ok');
  });

  it('puts new fields where the change put them, so a dataclass keeps its field order', async () => {
    const before = 'from dataclasses import dataclass\n\n\n@dataclass\nclass Point:\n    x: int\n    label: str = ""\n';
    const after = 'from dataclasses import dataclass\n\n\n@dataclass\nclass Point:\n    x: int\n    y: int\n    label: str = ""\n\n    def norm(self):\n        return abs(self.x) + abs(self.y)\n';
    const [stubbed] = await stub([{ path: 'geo.py', before, after }]);
    const output = runPython([stubbed as FileChange], 'import geo\np = geo.Point(1, 2)\nassert (p.x, p.y, p.label) == (1, 2, "") and p.norm() is None\nprint("fields ok")');
    expect(output).toContain('fields ok');
  });

  it('restores deleted files and returns other files as they were, and refuses Python that does not parse', async () => {
    const stubbed = await stub([
      { path: 'gone.py', before: 'def f():\n    return 1\n', after: null },
      { path: 'data/rates.json', before: '{"a": 1}\n', after: '{"a": 2}\n' },
      { path: 'README.md', before: null, after: '# new\n' },
    ]);
    expect(stubbed).toEqual([
      { path: 'gone.py', before: null, after: 'def f():\n    return 1\n' },
      { path: 'data/rates.json', before: '{"a": 2}\n', after: '{"a": 1}\n' },
      { path: 'README.md', before: '# new\n', after: null },
    ]);
    await expect(stub([{ path: 'broken.py', before: null, after: 'def f(:\n    pass\n' }])).rejects.toThrow(AnalysisToolError);
  });
});

const TS_MODULE = `import { Base } from './base';

export interface Shape {
  area(): number;
}
export type Id = string | number;

export enum Status {
  Todo = 'todo',
  Done = 'done',
}

export const RATE = 0.2;

export function parse(value: string): number;
export function parse(value: number): number;
export function parse(value: string | number): number {
  return Number(value) * 2;
}

export const add = (a: number, b: number): number => a + b;
export const total = async (values: number[]) => {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
};

export abstract class Figure implements Shape {
  abstract area(): number;
  describe(): string {
    const inner = () => 'figure';
    return inner();
  }
}

export default class Square extends Base {
  private sides: number[] = [];
  static unit = 1;
  constructor(public side: number) {
    super('square');
    this.sides = [side, side];
  }
  get perimeter(): number {
    return this.side * 4;
  }
  set perimeter(value: number) {
    this.side = value / 4;
  }
  *corners(): Generator<number> {
    yield 1;
  }
  scaled = (factor: number) => this.side * factor;
}
`;
const TS_BASE = "export class Base {\n  constructor(public kind: string) {}\n  name(): string {\n    return this.kind;\n  }\n}\n";

describe('stubChanges on TypeScript and JavaScript', () => {
  it('keeps a new module loadable with its exports, types and classes while every body returns nothing', async () => {
    const [stubbed] = await stub([{ path: 'src/square.ts', before: null, after: TS_MODULE }]);
    expect(stubbed).toMatchObject({ path: 'src/square.ts', before: TS_MODULE });
    const content = stubbed?.after as string;
    expect(content).toContain('export interface Shape {\n  area(): number;\n}\nexport type Id = string | number;\n');
    expect(content).toContain('export function parse(value: string): number;\nexport function parse(value: number): number;\n');
    expect(content).toContain('export const add = (a: number, b: number): number => (undefined as any);');
    expect(content).not.toContain('Number(value) * 2');
    const output = runScript(
      [stubbed as FileChange, { path: 'src/base.ts', before: null, after: TS_BASE }],
      [
        "import Square, { parse, add, total, Status, RATE, Figure } from './src/square.mjs';",
        "import assert from 'node:assert/strict';",
        'assert.equal(parse(2), undefined);',
        'assert.equal(add(1, 2), undefined);',
        'assert.equal(await total([1, 2]), undefined);',
        "assert.equal(Status.Todo, 'todo');",
        'assert.equal(RATE, 0.2);',
        'assert.equal(Square.unit, 1);',
        'const square = new Square(3);',
        // Constructors are empty, except that a derived class still calls super (with the same arguments).
        "assert.equal(square.kind, 3);",
        'assert.equal(square.side, 3);',
        'assert.equal(square.perimeter, undefined);',
        'square.perimeter = 40;',
        'assert.equal(square.side, 3);',
        'assert.deepEqual([...square.corners()], []);',
        'assert.equal(square.scaled(2), undefined);',
        "assert.equal(typeof Figure.prototype.describe, 'function');",
        "console.log('stubbed ok');",
      ].join('\n'),
    );
    expect(output).toContain('stubbed ok');
  });

  it('gives an edited module its old behaviour plus stubs of the exports, imports and members it adds', async () => {
    const before = [
      "import { Base } from './base';",
      '',
      'export enum Status {',
      "  Todo = 'todo'",
      '}',
      '',
      'export class Cart extends Base {',
      '  items: number[] = []',
      '  count(): number {',
      '    return this.items.length;',
      '  }',
      '}',
      '',
      'export function fee(amount: number): number {',
      '  return amount * 2;',
      '}',
      '',
    ].join('\n');
    const after = [
      "import { Base, helper } from './base';",
      "import * as path from 'node:path';",
      '',
      'export enum Status {',
      "  Todo = 'todo',",
      "  TODO = 'TODO',",
      '}',
      '',
      'export class Cart extends Base {',
      '  items: number[] = [];',
      '  *ids() {',
      '    yield* this.items;',
      '  }',
      '  count(): number {',
      '    return this.items.length + 1;',
      '  }',
      '  total(): number {',
      '    return helper(this.items);',
      '  }',
      '}',
      '',
      'export function fee(amount: number): number {',
      '  return amount * 3;',
      '}',
      '',
      'export const refund = (amount: number) => -amount;',
      'export function join(a: string): string {',
      '  return path.join(a);',
      '}',
      'export { fee as charge };',
      'export default Cart;',
      '',
    ].join('\n');
    const base = "export class Base {}\nexport function helper(items: number[]): number {\n  return items.length;\n}\n";
    const [stubbed] = await stub([{ path: 'src/cart.ts', before, after }]);
    // The file as it was stays byte-identical around what was added.
    expect(stubbed?.after).toContain(
      'export class Cart extends Base {\n  items: number[] = []\n  count(): number {\n    return this.items.length;\n  }\n  *ids() { return undefined as any; }\n  total(): number { return undefined as any; }\n}\n\nexport function fee(amount: number): number {\n  return amount * 2;\n}\n',
    );
    const output = runScript(
      [stubbed as FileChange, { path: 'src/base.ts', before: null, after: base }],
      [
        "import Cart, { Status, fee, refund, join, charge } from './src/cart.mjs';",
        "import assert from 'node:assert/strict';",
        'assert.equal(fee(1), 2);',
        'assert.equal(charge(1), 2);',
        'assert.equal(refund(1), undefined);',
        "assert.equal(join('a'), undefined);",
        "assert.equal(Status.TODO, 'TODO');",
        "assert.equal(Status.Todo, 'todo');",
        'const cart = new Cart();',
        'assert.equal(cart.count(), 0);',
        'assert.equal(cart.total(), undefined);',
        'assert.deepEqual([...cart.ids()], []);',
        "console.log('edited ok');",
      ].join('\n'),
    );
    expect(output).toContain('edited ok');
  });

  it('ends a class field before a new member, so `x = 1` does not run into `*gen()`', async () => {
    const before = 'export class Counter {\n  x = 1\n}\n';
    const after = 'export class Counter {\n  x = 1;\n  *gen() {\n    yield this.x;\n  }\n  label = "c"\n}\n';
    const [stubbed] = await stub([{ path: 'src/counter.ts', before, after }]);
    expect(stubbed?.after).toBe('export class Counter {\n  x = 1;\n  *gen() { return undefined as any; }\n  label = "c";\n}\n');
  });

  it('stubs JavaScript with plain undefined', async () => {
    const after = "export function add(a, b) {\n  return a + b;\n}\nexport const twice = (x) => x * 2;\nmodule.exports = { add };\n";
    const [stubbed] = await stub([{ path: 'lib/calc.js', before: null, after }]);
    expect(stubbed?.after).toBe("export function add(a, b) { return undefined; }\nexport const twice = (x) => (undefined);\nmodule.exports = { add };\n");
  });
});
