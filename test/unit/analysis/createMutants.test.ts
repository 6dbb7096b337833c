import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisToolError } from '../../../src/engine/analysis/AnalysisToolError.js';
import { createMutants } from '../../../src/engine/analysis/createMutants.js';
import type { Mutant } from '../../../src/engine/analysis/Mutant.js';
import { lineChanges } from '../../../src/engine/gates/lineChanges.js';
import type { FileChange } from '../../../src/engine/ports/Vcs.js';
import { createLocalSandbox } from '../../../src/sandbox/createLocalSandbox.js';
import { projectConfigSchema } from '../../../src/shared/projectConfigSchema.js';
import { writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const sandbox = createLocalSandbox();
afterAll(() => sandbox.dispose());
const config = projectConfigSchema.parse({ commandTimeoutMs: 30_000 });

async function mutants(changes: FileChange[], limit?: number): Promise<Mutant[]> {
  return createMutants({ changes, sandbox, workspaceDir: makeTempDir(), config, ...(limit === undefined ? {} : { limit }) });
}

/** Each mutant differs from the changed file, keeps its line count, and differs only on lines the change added. */
function expectOnChangedLines(list: Mutant[], changes: FileChange[]): void {
  for (const mutant of list) {
    const change = changes.find((candidate) => candidate.path === mutant.file) as FileChange;
    const original = (change.after as string).split('\n');
    const mutated = mutant.content.split('\n');
    expect(mutated.length, mutant.id).toBe(original.length);
    const differing = original.flatMap((line, index) => (line === mutated[index] ? [] : [index + 1]));
    const changed = lineChanges(change).added.map((added) => added.line);
    expect(differing.length, mutant.id).toBeGreaterThan(0);
    expect(changed, mutant.id).toEqual(expect.arrayContaining(differing));
    expect(differing, mutant.id).toContain(mutant.line);
  }
}

/** Every mutant compiled by python3 (a syntax error makes it throw). */
function expectPythonParses(list: Mutant[]): void {
  const dir = makeTempDir();
  writeFiles(dir, Object.fromEntries(list.map((mutant, index) => [`m${index}.py`, mutant.content])));
  const script = `import ast, sys\nfor name in sys.argv[1:]:\n    ast.parse(open(name).read(), name)\nprint("parsed", len(sys.argv) - 1)`;
  expect(execFileSync('python3', ['-c', script, ...list.map((_, index) => `m${index}.py`)], { cwd: dir, encoding: 'utf8' })).toContain(`parsed ${list.length}`);
}

function scriptErrors(path: string, content: string): string[] {
  const result = ts.transpileModule(content, { fileName: path, reportDiagnostics: true, compilerOptions: { allowJs: true } });
  return (result.diagnostics ?? []).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
}

const TAX_BEFORE = [
  'RATE = 0.2',
  '',
  '',
  'def tax(amount):',
  '    return amount * RATE',
  '',
  '',
  'def label(amount):',
  '    return "free" if amount < 10 else "paid"',
  '',
].join('\n');
const TAX_AFTER = [
  'RATE = 0.2',
  '',
  '',
  'def tax(amount, exempt=False):',
  '    if exempt or amount <= 0:  # nothing to tax when amount < 1',
  '        return 0',
  '    total = amount * RATE + 5',
  '    return round(total,',
  '                 2)',
  '',
  '',
  'def label(amount):',
  '    return "free" if amount < 10 else "paid"',
  '',
].join('\n');
const TAX: FileChange = { path: 'calc/tax.py', before: TAX_BEFORE, after: TAX_AFTER };

describe('createMutants on Python', () => {
  it('takes one mutant of each operator kind first, in priority order, on changed lines only', async () => {
    const list = await mutants([TAX]);
    expect(list.map((mutant) => mutant.id)).toEqual(['calc/tax.py:5:flip-compare', 'calc/tax.py:5:off-by-one', 'calc/tax.py:6:return-none', 'calc/tax.py:5:swap-logic']);
    expect(list.map((mutant) => mutant.description)).toEqual([
      'calc/tax.py:5: `<=` -> `<`',
      'calc/tax.py:5: `0` -> `1`',
      'calc/tax.py:6: `0` -> `None`',
      'calc/tax.py:5: `or` -> `and`',
    ]);
    // Only the operator changes; the comment's `<` and the rest of the line stay as written.
    expect(list[0]?.content.split('\n')[4]).toBe('    if exempt or amount < 0:  # nothing to tax when amount < 1');
    expectOnChangedLines(list, [TAX]);
    expectPythonParses(list);
  });

  it('then goes round the kinds again, and the same change always gives the same mutants', async () => {
    const list = await mutants([TAX], 20);
    expect(await mutants([TAX], 20)).toEqual(list);
    expect(list.map((mutant) => mutant.description)).toEqual([
      'calc/tax.py:5: `<=` -> `<`',
      'calc/tax.py:5: `0` -> `1`',
      'calc/tax.py:6: `0` -> `None`',
      'calc/tax.py:5: `or` -> `and`',
      'calc/tax.py:4: `False` -> `True`',
      'calc/tax.py:7: `+` -> `-`',
      'calc/tax.py:6: `0` -> `1`',
      'calc/tax.py:8: `round(total, 2)` -> `None`',
      'calc/tax.py:7: `5` -> `6`',
      'calc/tax.py:9: `2` -> `3`',
    ]);
    // A multi-line returned value keeps its line count, so the lines after it keep their numbers.
    expect(list[7]?.content.split('\n').slice(7, 9)).toEqual(['    return (None', ')']);
    expectOnChangedLines(list, [TAX]);
    expectPythonParses(list);
  });

  it('makes mutants that behave differently from the code', async () => {
    const list = await mutants([TAX], 20);
    const dir = makeTempDir();
    writeFiles(dir, { 'calc/tax.py': TAX_AFTER, ...Object.fromEntries(list.map((mutant, index) => [`m${index}/calc/tax.py`, mutant.content])) });
    const probe = 'import json\nfrom calc import tax\nprint(json.dumps([tax.tax(7)] + [tax.tax(a, e) for a in (-1, 0, 1, 1.234, 100) for e in (False, True)]))';
    const run = (root: string) => execFileSync('python3', ['-B', '-c', probe], { cwd: join(dir, root), encoding: 'utf8' });
    const original = run('.');
    expect(list.filter((_, index) => run(`m${index}`) === original)).toEqual([]);
  });

  it('mutates nothing outside the changed lines and no other files, and refuses Python that does not parse', async () => {
    const change: FileChange = { path: 'm.py', before: 'def f(a):\n    return a < 1\n', after: 'def f(a):\n    return a < 1\n\n\nNAME = "x"\n' };
    const declarations: FileChange = { path: 'src/types.d.ts', before: null, after: 'export declare const LIMIT = 1;\nexport declare function f(a: number): boolean;\n' };
    expect(await mutants([change, declarations, { path: 'notes.md', before: null, after: 'x = 1 < 2\n' }, { path: 'gone.py', before: 'x = 1 < 2\n', after: null }])).toEqual([]);
    expect(await mutants([TAX], 0)).toEqual([]);
    await expect(mutants([{ path: 'bad.py', before: null, after: 'def f(:\n' }])).rejects.toThrow(AnalysisToolError);
  });
});

const CART_BEFORE = "export function total(items: number[]): number {\n  return items.length;\n}\n";
const CART_AFTER = [
  'export function total(items: number[], member = false): number {',
  '  let sum = 0;',
  '  for (const item of items) sum += item;',
  '  if (member && sum >= 100) {',
  '    return sum - 10;',
  '  }',
  '  return sum;',
  '}',
  'export const isEmpty = (items: number[]) => items.length === 0;',
  'export type Limit = 100 | true;',
  '',
].join('\n');
const CART: FileChange = { path: 'src/cart.ts', before: CART_BEFORE, after: CART_AFTER };

describe('createMutants on TypeScript and JavaScript', () => {
  it('mutates changed operators with the TypeScript parser, round-robin over the kinds', async () => {
    const list = await mutants([CART], 12);
    expect(list.map((mutant) => mutant.description)).toEqual([
      'src/cart.ts:4: `>=` -> `>`',
      'src/cart.ts:2: `0` -> `1`',
      'src/cart.ts:5: `sum - 10` -> `undefined as any`',
      'src/cart.ts:4: `&&` -> `||`',
      'src/cart.ts:1: `false` -> `true`',
      'src/cart.ts:3: `+=` -> `-=`',
      'src/cart.ts:9: `===` -> `!==`',
      'src/cart.ts:4: `100` -> `101`',
      'src/cart.ts:7: `sum` -> `undefined as any`',
      'src/cart.ts:5: `-` -> `+`',
      'src/cart.ts:5: `10` -> `11`',
      'src/cart.ts:9: `items.length === 0` -> `undefined as any`',
    ]);
    expect(list[11]?.content.split('\n')[8]).toBe('export const isEmpty = (items: number[]) => (undefined as any);');
    // The literal type `100 | true` on line 10 is a type, not a value: it was never a candidate.
    for (const mutant of list) expect(scriptErrors(mutant.file, mutant.content), mutant.id).toEqual([]);
    expectOnChangedLines(list, [CART]);
    expect(await mutants([CART], 12)).toEqual(list);
  });

  it('makes JavaScript mutants that node runs with a different result', async () => {
    const after = 'export function discount(total) {\n  if (total > 100) return total - 10;\n  return total;\n}\n';
    const list = await mutants([{ path: 'lib/discount.mjs', before: null, after }]);
    expect(list.map((mutant) => mutant.description)).toEqual([
      'lib/discount.mjs:2: `>` -> `>=`',
      'lib/discount.mjs:2: `100` -> `101`',
      'lib/discount.mjs:2: `total - 10` -> `undefined`',
      'lib/discount.mjs:2: `-` -> `+`',
    ]);
    const dir = makeTempDir();
    writeFiles(dir, Object.fromEntries(list.map((mutant, index) => [`m${index}.mjs`, mutant.content])));
    const results = list.map((_, index) =>
      execFileSync('node', ['--input-type=module', '-e', `import { discount } from './m${index}.mjs'; console.log(JSON.stringify([discount(100), discount(101), discount(50)]))`], {
        cwd: dir,
        encoding: 'utf8',
      }).trim(),
    );
    // The code gives [100,91,50].
    expect(results).toEqual(['[90,91,50]', '[100,101,50]', '[100,null,50]', '[100,111,50]']);
  });

  it('takes files in the order given, across languages', async () => {
    const cartFirst = await mutants([CART, TAX], 8);
    expect(cartFirst.map((mutant) => mutant.file)).toEqual(Array(8).fill('src/cart.ts'));
    const taxFirst = await mutants([TAX, CART], 8);
    expect(taxFirst.map((mutant) => mutant.id).slice(5)).toEqual(['calc/tax.py:7:swap-arith', 'src/cart.ts:4:flip-compare', 'calc/tax.py:6:off-by-one']);
  });
});
