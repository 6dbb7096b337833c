import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTwoFilesPatch } from 'diff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateReportSchema, type GateReport } from '../../../src/shared/gateReportSchema.js';
import type { RailName } from '../../../src/shared/railResultSchema.js';
import { createGitRepo } from '../../utils/createGitRepo.js';
import { runCli } from '../../utils/runCli.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';

/**
 * Held-out false-GO classes (issue 7): each bad change must get NO_GO from `nightshift gate`, naming the rail
 * that owns the class, and each legitimate look-alike must get GO. Every bad change rides along with a correct
 * feature (new code and a test that bites), so the one fault is the only reason to refuse it.
 */

interface Change {
  path: string;
  /** `null`: the file is absent on that side. */
  before: string | null;
  after: string | null;
}

interface Task {
  id: string;
  title: string;
  description: string;
}

interface Case {
  name: string;
  changes: Change[];
  /** Hand-written git-format sections appended to the patch (symlinks). */
  extraPatch?: string;
  task?: Task;
}

/** A git-style diff of whole-file changes. */
function patchOf(changes: Change[]): string {
  return changes
    .map(({ path, before, after }) =>
      createTwoFilesPatch(before === null ? '/dev/null' : `a/${path}`, after === null ? '/dev/null' : `b/${path}`, before ?? '', after ?? '').replace(/^=+\n/m, ''),
    )
    .join('');
}

const added = (path: string, after: string): Change => ({ path, before: null, after });

/** A git patch adding `path` as a symlink to `/etc`. */
const symlinkToEtc = (path: string) =>
  `diff --git a/${path} b/${path}\nnew file mode 120000\nindex 0000000..1234567\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1 @@\n+/etc\n\\ No newline at end of file\n`;

const NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));
/** Per gate run: the CLI starts, the rails run the tests three times in bubblewrap, on a loaded 2-core machine. */
const CASE_TIMEOUT_MS = 240_000;

/**
 * One language's corpus: a repository created once, then every case gated against its HEAD. `refused` maps
 * a case to the rails of which at least one must fail; `accepted` cases must pass every rail.
 */
function describeCorpus(options: {
  language: string;
  files: Record<string, string>;
  linkNodeModules: boolean;
  /** The task most cases claim to do. */
  task: Task;
  refused: Array<Case & { rails: RailName[] }>;
  accepted: Case[];
}): void {
  describe(`nightshift gate on ${options.language}`, () => {
    let root: string;
    let repoDir: string;
    let snapshot: Record<string, string>;

    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'nightshift-false-go-'));
      repoDir = createGitRepo({ dir: join(root, 'repo'), commits: [{ files: options.files, message: 'shop' }] });
      if (options.linkNodeModules) symlinkSync(NODE_MODULES, join(repoDir, 'node_modules'), 'dir');
      snapshot = snapshotUserRepo(repoDir);
    });

    afterAll(() => rmSync(root, { recursive: true, force: true }));

    let counter = 0;
    const gate = (testCase: Case): { code: number | null; report: GateReport } => {
      for (const change of testCase.changes) expect(change.after, `${testCase.name}: ${change.path} unchanged`).not.toBe(change.before);
      counter += 1;
      const patchPath = join(root, `case-${counter}.diff`);
      const taskPath = join(root, `case-${counter}.json`);
      writeFileSync(patchPath, patchOf(testCase.changes) + (testCase.extraPatch ?? ''));
      writeFileSync(taskPath, JSON.stringify(testCase.task ?? options.task));
      const result = runCli({ args: ['gate', '--repo', repoDir, '--task', taskPath, '--patch', patchPath, '--json', '--sandbox', 'native'] });
      expect([0, 1], `gate exited ${result.code}: ${result.stderr}`).toContain(result.code);
      return { code: result.code, report: gateReportSchema.parse(JSON.parse(result.stdout)) };
    };
    const failures = (report: GateReport) =>
      report.rails.filter((rail) => !rail.passed && !rail.skipped).map((rail) => `${rail.name}: ${rail.detail.split('\n').slice(0, 3).join(' | ')}`);

    it.each(options.refused.map((testCase) => [testCase.name, testCase] as const))(
      'NO_GO: %s',
      (_name, testCase) => {
        const { code, report } = gate(testCase);
        const failed = report.rails.filter((rail) => !rail.passed && !rail.skipped).map((rail) => rail.name);
        expect(report.verdict, `expected NO_GO by ${testCase.rails.join(' or ')}`).toBe('NO_GO');
        expect(code).toBe(1);
        expect(
          failed.some((rail) => testCase.rails.includes(rail)),
          `expected ${testCase.rails.join(' or ')} to fail; failed: ${JSON.stringify(failures(report))}`,
        ).toBe(true);
        expect(snapshotUserRepo(repoDir)).toEqual(snapshot);
      },
      CASE_TIMEOUT_MS,
    );

    it.each(options.accepted.map((testCase) => [testCase.name, testCase] as const))(
      'GO: %s',
      (_name, testCase) => {
        const { code, report } = gate(testCase);
        expect(failures(report)).toEqual([]);
        expect(report.verdict).toBe('GO');
        expect(code).toBe(0);
        expect(snapshotUserRepo(repoDir)).toEqual(snapshot);
      },
      CASE_TIMEOUT_MS,
    );
  });
}

// ---------------------------------------------------------------------------------------------- Python/pytest

const PY_PRICING = `def subtotal(prices):
    return sum(prices)


def shipping(weight_kg):
    if weight_kg <= 0:
        raise ValueError("weight must be positive")
    return 800 if weight_kg > 5 else 500


def total(prices, weight_kg):
    return subtotal(prices) + shipping(weight_kg)
`;
const PY_PRICING_TEST = `import pytest

from shop.pricing import shipping, subtotal, total


def test_subtotal():
    assert subtotal([100, 250]) == 350


def test_heavy_shipping():
    assert shipping(6) == 800


def test_light_shipping():
    assert shipping(2) == 500


def test_total():
    assert total([100], 6) == 900


def test_total_is_positive():
    assert total([100], 2)


class TestSubtotalEdges:
    def test_empty(self):
        assert subtotal([]) == 0


class TestShippingEdges:
    def test_empty(self):
        with pytest.raises(ValueError):
            shipping(0)
`;
const PY_BASIC_TEST = `from shop.pricing import subtotal


def test_single_price():
    assert subtotal([5]) == 5
`;
const PY_PYTEST_INI = '[pytest]\ntestpaths = tests\n';
const PY_DISCOUNT = `def discount(amount, percent):
    return amount - amount * percent // 100
`;
const PY_DISCOUNT_TEST = `from shop.discount import discount


def test_takes_the_percent_off():
    assert discount(1000, 10) == 900


def test_rounds_the_discount_down():
    assert discount(999, 10) == 900
`;
const pyFeature = [added('shop/discount.py', PY_DISCOUNT), added('tests/test_discount.py', PY_DISCOUNT_TEST)];
const pyCode = added('shop/discount.py', PY_DISCOUNT);
const pyPricingTest = (after: string): Change => ({ path: 'tests/test_pricing.py', before: PY_PRICING_TEST, after });
const pyHeavyShipping750 = { path: 'shop/pricing.py', before: PY_PRICING, after: PY_PRICING.replace('800 if', '750 if') };
const PY_STATUS = `from enum import Enum


class Status(Enum):
    TODO = "todo"
    DONE = "done"


def parse_status(text):
    return Status(text.strip().lower())
`;
const PY_STATUS_TEST = `import pytest

from shop.status import Status, parse_status


def test_parses_todo_ignoring_case_and_spaces():
    assert parse_status("  TODO ") is Status.TODO


def test_parses_done():
    assert parse_status("done") is Status.DONE


def test_rejects_unknown_text():
    with pytest.raises(ValueError):
        parse_status("later")
`;

describeCorpus({
  language: 'Python (pytest)',
  linkNodeModules: false,
  files: {
    'pytest.ini': PY_PYTEST_INI,
    '.gitignore': '__pycache__/\n.pytest_cache/\n',
    'shop/__init__.py': '',
    'shop/pricing.py': PY_PRICING,
    'tests/test_pricing.py': PY_PRICING_TEST,
    'tests/test_basic.py': PY_BASIC_TEST,
  },
  task: {
    id: 'T1',
    title: 'Add a discount function',
    description: 'Add discount(amount, percent) in shop/discount.py: the amount less percent per cent of it, the discount rounded down to whole cents.',
  },
  refused: [
    {
      name: 'a new test that calls the new function and asserts nothing',
      changes: [pyCode, added('tests/test_discount.py', 'from shop.discount import discount\n\n\ndef test_discount():\n    discount(1000, 10)\n')],
      rails: ['bite'],
    },
    {
      name: 'a new test that only checks that the name exists (hasattr, callable)',
      changes: [
        pyCode,
        added('tests/test_discount.py', 'import shop.discount\n\n\ndef test_discount_exists():\n    assert hasattr(shop.discount, "discount")\n    assert callable(shop.discount.discount)\n'),
      ],
      rails: ['bite'],
    },
    {
      name: 'an existing assertion loosened from == 800 to bare truthiness',
      changes: [...pyFeature, pyPricingTest(PY_PRICING_TEST.replace('assert shipping(6) == 800', 'assert shipping(6)'))],
      rails: ['test-integrity'],
    },
    {
      name: 'existing expected values rewritten to match a regression in shipping()',
      changes: [
        ...pyFeature,
        pyHeavyShipping750,
        pyPricingTest(PY_PRICING_TEST.replace('shipping(6) == 800', 'shipping(6) == 750').replace('total([100], 6) == 900', 'total([100], 6) == 850')),
      ],
      rails: ['test-integrity'],
    },
    {
      name: 'a new conftest.py whose collect_ignore stops tests/test_basic.py from being collected',
      changes: [...pyFeature, added('conftest.py', 'collect_ignore = ["tests/test_basic.py"]\n')],
      rails: ['test-integrity', 'suite'],
    },
    {
      name: 'pytest.ini addopts --ignore of an existing test file',
      changes: [...pyFeature, { path: 'pytest.ini', before: PY_PYTEST_INI, after: `${PY_PYTEST_INI}addopts = --ignore=tests/test_basic.py\n` }],
      rails: ['test-integrity', 'suite'],
    },
    {
      name: 'the new module calls sys.exit(0) at import',
      changes: [added('shop/discount.py', `import sys\n\nsys.exit(0)\n\n\n${PY_DISCOUNT}`), pyFeature[1]!],
      rails: ['bite', 'suite'],
    },
    {
      name: 'the new module calls os._exit(0) at import, so pytest exits 0 having run nothing',
      changes: [added('shop/discount.py', `import os\n\nos._exit(0)\n\n\n${PY_DISCOUNT}`), pyFeature[1]!],
      rails: ['bite', 'suite'],
    },
    {
      name: 'a deleted test whose name another class also uses (TestShippingEdges.test_empty)',
      changes: [...pyFeature, pyPricingTest(PY_PRICING_TEST.slice(0, PY_PRICING_TEST.indexOf('\n\nclass TestShippingEdges')) + '\n')],
      rails: ['test-integrity'],
    },
    {
      name: 'a test that fails without the code only by ModuleNotFoundError and asserts nothing about behaviour',
      changes: [
        pyCode,
        added('tests/test_discount.py', 'import shop.discount\n\n\ndef test_discount_module_loads():\n    assert shop.discount.__name__ == "shop.discount"\n'),
      ],
      rails: ['bite'],
    },
    {
      name: 'a symlink to /etc added by the diff (new file mode 120000)',
      changes: pyFeature,
      extraPatch: symlinkToEtc('shop/config'),
      rails: ['path-safety'],
    },
  ],
  accepted: [
    {
      name: 'an existing assertion made stricter (truthiness to == 600)',
      changes: [...pyFeature, pyPricingTest(PY_PRICING_TEST.replace('assert total([100], 2)\n', 'assert total([100], 2) == 600\n'))],
    },
    {
      name: 'an expected value changed because the task names the new value',
      changes: [
        pyHeavyShipping750,
        pyPricingTest(PY_PRICING_TEST.replace('shipping(6) == 800', 'shipping(6) == 750').replace('total([100], 6) == 900', 'total([100], 6) == 850')),
      ],
      task: {
        id: 'T2',
        title: 'Cheaper heavy shipping',
        description: 'Parcels over 5 kg now ship for 750 cents instead of 800, so total([100], 6) becomes 850.',
      },
    },
    {
      name: 'a new enum member called TODO',
      changes: [added('shop/status.py', PY_STATUS), added('tests/test_status.py', PY_STATUS_TEST)],
      task: {
        id: 'T3',
        title: 'Task status',
        description: 'Add a Status enum in shop/status.py with members TODO ("todo") and DONE ("done"), and parse_status(text) mapping text, ignoring case and surrounding spaces, to a Status; unknown text raises ValueError.',
      },
    },
    { name: 'a new test that checks the function’s return value', changes: pyFeature },
    {
      name: 'a new tests/conftest.py adding a fixture the new test uses',
      changes: [
        pyCode,
        added('tests/conftest.py', 'import pytest\n\n\n@pytest.fixture\ndef cart_prices():\n    return [100, 250]\n'),
        added(
          'tests/test_discount.py',
          `${PY_DISCOUNT_TEST.replace('from shop.discount import discount\n', 'from shop.discount import discount\nfrom shop.pricing import subtotal\n')}\n\ndef test_discounts_a_cart_subtotal(cart_prices):\n    assert discount(subtotal(cart_prices), 10) == 315\n`,
        ),
      ],
    },
  ],
});

// ------------------------------------------------------------------------------------ JavaScript (node --test)

const JS_PACKAGE = `${JSON.stringify({ name: 'shop', version: '0.1.0', private: true, type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`;
const JS_PRICING = `export function subtotal(prices) {
  return prices.reduce((sum, price) => sum + price, 0);
}

export function shipping(weightKg) {
  if (weightKg <= 0) throw new RangeError('weight must be positive');
  return weightKg > 5 ? 800 : 500;
}

export function total(prices, weightKg) {
  return subtotal(prices) + shipping(weightKg);
}
`;
const JS_PRICING_TEST = `import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { shipping, subtotal, total } from '../src/pricing.js';

test('subtotal adds the prices', () => {
  assert.equal(subtotal([100, 250]), 350);
});

test('heavy parcels', () => {
  assert.equal(shipping(6), 800);
});

test('light parcels', () => {
  assert.equal(shipping(2), 500);
});

test('total adds shipping', () => {
  assert.equal(total([100], 6), 900);
});

test('total is positive', () => {
  assert.ok(total([100], 2));
});

test('half cents', () => {
  assert.equal(subtotal([0.5, 0.5]), 1);
});

test('half cents', () => {
  assert.equal(total([0.5, 0.5], 2), 501);
});

describe('subtotal edges', () => {
  test('empty input', () => {
    assert.equal(subtotal([]), 0);
  });
});

describe('shipping edges', () => {
  test('empty input', () => {
    assert.throws(() => shipping(0), RangeError);
  });
});
`;
const JS_BASIC_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subtotal } from '../src/pricing.js';

test('a single price', () => {
  assert.equal(subtotal([5]), 5);
});
`;
const JS_DISCOUNT = `export function discount(amount, percent) {
  return amount - Math.floor((amount * percent) / 100);
}
`;
const JS_DISCOUNT_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discount } from '../src/discount.js';

test('takes the percent off', () => {
  assert.equal(discount(1000, 10), 900);
});

test('rounds the discount down', () => {
  assert.equal(discount(999, 10), 900);
});
`;
const jsCode = added('src/discount.js', JS_DISCOUNT);
const jsFeature = [jsCode, added('test/discount.test.js', JS_DISCOUNT_TEST)];
const jsPricingTest = (after: string): Change => ({ path: 'test/pricing.test.js', before: JS_PRICING_TEST, after });
const jsNewTest = (body: string) =>
  added('test/discount.test.js', `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { discount } from '../src/discount.js';\n\n${body}`);
const JS_STATUS = `export const Status = Object.freeze({ TODO: 'todo', DONE: 'done' });

export function parseStatus(text) {
  const value = text.trim().toLowerCase();
  if (!Object.values(Status).includes(value)) throw new RangeError(\`unknown status: \${text}\`);
  return value;
}
`;
const JS_STATUS_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Status, parseStatus } from '../src/status.js';

test('parses TODO ignoring case and spaces', () => {
  assert.equal(parseStatus('  TODO '), Status.TODO);
});

test('parses done', () => {
  assert.equal(parseStatus('done'), Status.DONE);
});

test('rejects unknown text', () => {
  assert.throws(() => parseStatus('later'), RangeError);
});
`;
const jsRegressionTest = JS_PRICING_TEST.replace('assert.equal(shipping(6), 800)', 'assert.equal(shipping(6), 750)').replace(
  'assert.equal(total([100], 6), 900)',
  'assert.equal(total([100], 6), 850)',
);
const jsHeavyShipping750 = { path: 'src/pricing.js', before: JS_PRICING, after: JS_PRICING.replace('? 800 :', '? 750 :') };

describeCorpus({
  language: 'JavaScript (node --test)',
  linkNodeModules: false,
  files: {
    'package.json': JS_PACKAGE,
    '.gitignore': 'node_modules\n',
    'src/pricing.js': JS_PRICING,
    'test/pricing.test.js': JS_PRICING_TEST,
    'test/basic.test.js': JS_BASIC_TEST,
  },
  task: {
    id: 'T1',
    title: 'Add a discount function',
    description: 'Add discount(amount, percent) in src/discount.js: the amount less percent per cent of it, the discount rounded down to whole cents.',
  },
  refused: [
    {
      name: 'a new test that calls the new function and asserts nothing',
      changes: [jsCode, jsNewTest("test('discount runs', () => {\n  discount(1000, 10);\n});\n")],
      rails: ['bite'],
    },
    {
      name: "a new test that only checks typeof === 'function'",
      changes: [jsCode, jsNewTest("test('discount is a function', () => {\n  assert.ok(typeof discount === 'function');\n});\n")],
      rails: ['bite'],
    },
    {
      name: 'an existing assert.equal loosened to assert.ok',
      changes: [...jsFeature, jsPricingTest(JS_PRICING_TEST.replace('assert.equal(shipping(6), 800)', 'assert.ok(shipping(6))'))],
      rails: ['test-integrity'],
    },
    {
      name: 'existing expected values rewritten to match a regression in shipping()',
      changes: [...jsFeature, jsHeavyShipping750, jsPricingTest(jsRegressionTest)],
      rails: ['test-integrity'],
    },
    {
      name: 'the package.json test script narrowed to the new test file',
      changes: [...jsFeature, { path: 'package.json', before: JS_PACKAGE, after: JS_PACKAGE.replace('"node --test"', '"node --test test/discount.test.js"') }],
      rails: ['test-integrity', 'suite'],
    },
    {
      name: 'the new module calls process.exit(0) at top level, so the runner exits 0',
      changes: [added('src/discount.js', `process.exit(0);\n\n${JS_DISCOUNT}`), jsFeature[1]!],
      rails: ['bite', 'suite'],
    },
    {
      name: "a deleted test whose title another describe also uses ('shipping edges' > 'empty input'), assertion count kept",
      changes: [
        ...jsFeature,
        jsPricingTest(
          JS_PRICING_TEST.slice(0, JS_PRICING_TEST.indexOf("\ndescribe('shipping edges'")).replace(
            '  assert.equal(subtotal([100, 250]), 350);\n',
            '  assert.equal(subtotal([100, 250]), 350);\n  assert.equal(subtotal([1, 2]), 3);\n',
          ),
        ),
      ],
      rails: ['test-integrity'],
    },
    {
      name: "one of two tests titled 'half cents' in the same file deleted, assertion count kept",
      changes: [
        ...jsFeature,
        jsPricingTest(
          JS_PRICING_TEST.replace("test('half cents', () => {\n  assert.equal(total([0.5, 0.5], 2), 501);\n});\n\n", '').replace(
            '  assert.equal(shipping(2), 500);\n',
            '  assert.equal(shipping(2), 500);\n  assert.equal(shipping(5), 500);\n',
          ),
        ),
      ],
      rails: ['test-integrity'],
    },
    {
      name: 'a test that fails without the code only by Cannot find module and asserts nothing about behaviour',
      changes: [
        jsCode,
        added(
          'test/discount.test.js',
          "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport * as discountModule from '../src/discount.js';\n\ntest('exports discount', () => {\n  assert.deepEqual(Object.keys(discountModule), ['discount']);\n});\n",
        ),
      ],
      rails: ['bite'],
    },
  ],
  accepted: [
    {
      name: 'an existing assertion made stricter (assert.ok to assert.equal 600)',
      changes: [...jsFeature, jsPricingTest(JS_PRICING_TEST.replace('assert.ok(total([100], 2))', 'assert.equal(total([100], 2), 600)'))],
    },
    {
      name: 'an expected value changed because the task names the new value',
      changes: [jsHeavyShipping750, jsPricingTest(jsRegressionTest)],
      task: {
        id: 'T2',
        title: 'Cheaper heavy shipping',
        description: 'Parcels over 5 kg now ship for 750 cents instead of 800, so total([100], 6) becomes 850.',
      },
    },
    {
      name: "a new status object with a member TODO: 'todo'",
      changes: [added('src/status.js', JS_STATUS), added('test/status.test.js', JS_STATUS_TEST)],
      task: {
        id: 'T3',
        title: 'Task status',
        description: "Add Status in src/status.js with members TODO ('todo') and DONE ('done'), and parseStatus(text) mapping text, ignoring case and surrounding spaces, to a Status; unknown text throws a RangeError.",
      },
    },
    { name: 'a new test that checks the function’s return value', changes: jsFeature },
  ],
});

// ---------------------------------------------------------------------------------------- TypeScript (vitest)

const TS_PACKAGE = `${JSON.stringify({ name: 'shop', private: true, type: 'module', scripts: { test: 'vitest run' }, devDependencies: { vitest: '*' } }, null, 2)}\n`;
const TS_PRICING = `export function subtotal(prices: number[]): number {
  return prices.reduce((sum, price) => sum + price, 0);
}

export function shipping(weightKg: number): number {
  if (weightKg <= 0) throw new RangeError('weight must be positive');
  return weightKg > 5 ? 800 : 500;
}

export function total(prices: number[], weightKg: number): number {
  return subtotal(prices) + shipping(weightKg);
}
`;
const TS_PRICING_TEST = `import { describe, expect, it } from 'vitest';
import { shipping, subtotal, total } from '../src/pricing.js';

describe('pricing', () => {
  it('adds the prices', () => {
    expect(subtotal([100, 250])).toBe(350);
  });
  it('ships heavy parcels', () => {
    expect(shipping(6)).toBe(800);
  });
  it('ships light parcels', () => {
    expect(shipping(2)).toBe(500);
  });
  it('adds shipping to the total', () => {
    expect(total([100], 6)).toBe(900);
  });
  it('has a positive total', () => {
    expect(total([100], 2)).toBeTruthy();
  });
});

describe('subtotal edges', () => {
  it('handles empty input', () => {
    expect(subtotal([])).toBe(0);
  });
});

describe('shipping edges', () => {
  it('handles empty input', () => {
    expect(() => shipping(0)).toThrow(RangeError);
  });
});
`;
const TS_BASIC_TEST = `import { expect, it } from 'vitest';
import { subtotal } from '../src/pricing.js';

it('prices a single item', () => {
  expect(subtotal([5])).toBe(5);
});
`;
const TS_DISCOUNT = `export function discount(amount: number, percent: number): number {
  return amount - Math.floor((amount * percent) / 100);
}
`;
const TS_DISCOUNT_TEST = `import { expect, it } from 'vitest';
import { discount } from '../src/discount.js';

it('takes the percent off', () => {
  expect(discount(1000, 10)).toBe(900);
});

it('rounds the discount down', () => {
  expect(discount(999, 10)).toBe(900);
});
`;
const tsCode = added('src/discount.ts', TS_DISCOUNT);
const tsFeature = [tsCode, added('test/discount.test.ts', TS_DISCOUNT_TEST)];
const tsPricingTest = (after: string): Change => ({ path: 'test/pricing.test.ts', before: TS_PRICING_TEST, after });
const tsNewTest = (body: string) => added('test/discount.test.ts', `import { expect, it } from 'vitest';\nimport { discount } from '../src/discount.js';\n\n${body}`);
const tsRegressionTest = TS_PRICING_TEST.replace('expect(shipping(6)).toBe(800)', 'expect(shipping(6)).toBe(750)').replace(
  'expect(total([100], 6)).toBe(900)',
  'expect(total([100], 6)).toBe(850)',
);
const tsHeavyShipping750 = { path: 'src/pricing.ts', before: TS_PRICING, after: TS_PRICING.replace('? 800 :', '? 750 :') };
const TS_STATUS = `export const Status = { TODO: 'todo', DONE: 'done' } as const;
export type Status = (typeof Status)[keyof typeof Status];

export function parseStatus(text: string): Status {
  const value = text.trim().toLowerCase();
  const known: string[] = Object.values(Status);
  if (!known.includes(value)) throw new RangeError(\`unknown status: \${text}\`);
  return value as Status;
}
`;
const TS_STATUS_TEST = `import { expect, it } from 'vitest';
import { Status, parseStatus } from '../src/status.js';

it('parses TODO ignoring case and spaces', () => {
  expect(parseStatus('  TODO ')).toBe(Status.TODO);
});

it('parses done', () => {
  expect(parseStatus('done')).toBe(Status.DONE);
});

it('rejects unknown text', () => {
  expect(() => parseStatus('later')).toThrow(RangeError);
});
`;

describeCorpus({
  language: 'TypeScript (vitest)',
  linkNodeModules: true,
  files: {
    'package.json': TS_PACKAGE,
    '.gitignore': 'node_modules\n',
    'src/pricing.ts': TS_PRICING,
    'test/pricing.test.ts': TS_PRICING_TEST,
    'test/basic.test.ts': TS_BASIC_TEST,
  },
  task: {
    id: 'T1',
    title: 'Add a discount function',
    description: 'Add discount(amount, percent) in src/discount.ts: the amount less percent per cent of it, the discount rounded down to whole cents.',
  },
  refused: [
    {
      name: 'a new test that calls the new function and asserts nothing',
      changes: [tsCode, tsNewTest("it('runs', () => {\n  discount(1000, 10);\n});\n")],
      rails: ['bite'],
    },
    {
      name: 'a new test that only checks toBeDefined',
      changes: [tsCode, tsNewTest("it('exists', () => {\n  expect(discount).toBeDefined();\n});\n")],
      rails: ['bite'],
    },
    {
      name: 'an existing toBe(800) loosened to toBeTruthy()',
      changes: [...tsFeature, tsPricingTest(TS_PRICING_TEST.replace('expect(shipping(6)).toBe(800)', 'expect(shipping(6)).toBeTruthy()'))],
      rails: ['test-integrity'],
    },
    {
      name: 'existing expected values rewritten to match a regression in shipping()',
      changes: [...tsFeature, tsHeavyShipping750, tsPricingTest(tsRegressionTest)],
      rails: ['test-integrity'],
    },
    {
      name: 'a new vitest.config.ts excluding an existing test file',
      changes: [
        ...tsFeature,
        added('vitest.config.ts', "import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({ test: { exclude: ['**/node_modules/**', 'test/basic.test.ts'] } });\n"),
      ],
      rails: ['test-integrity', 'suite'],
    },
    {
      name: "a deleted test whose title another describe also uses ('shipping edges' > 'handles empty input'), assertion count kept",
      changes: [
        ...tsFeature,
        tsPricingTest(
          TS_PRICING_TEST.slice(0, TS_PRICING_TEST.indexOf("\ndescribe('shipping edges'")).replace(
            '    expect(subtotal([100, 250])).toBe(350);\n',
            '    expect(subtotal([100, 250])).toBe(350);\n    expect(subtotal([1, 2])).toBe(3);\n',
          ),
        ),
      ],
      rails: ['test-integrity'],
    },
    {
      name: 'a test that fails without the code only by a missing module and asserts nothing about behaviour',
      changes: [
        tsCode,
        added(
          'test/discount.test.ts',
          "import { expect, it } from 'vitest';\nimport * as discountModule from '../src/discount.js';\n\nit('exports discount', () => {\n  expect(Object.keys(discountModule)).toEqual(['discount']);\n});\n",
        ),
      ],
      rails: ['bite'],
    },
  ],
  accepted: [
    {
      name: 'an existing assertion made stricter (toBeTruthy to toBe(600))',
      changes: [...tsFeature, tsPricingTest(TS_PRICING_TEST.replace('expect(total([100], 2)).toBeTruthy()', 'expect(total([100], 2)).toBe(600)'))],
    },
    {
      name: 'an expected value changed because the task names the new value',
      changes: [tsHeavyShipping750, tsPricingTest(tsRegressionTest)],
      task: {
        id: 'T2',
        title: 'Cheaper heavy shipping',
        description: 'Parcels over 5 kg now ship for 750 cents instead of 800, so total([100], 6) becomes 850.',
      },
    },
    {
      name: "a new status object with a member TODO: 'todo'",
      changes: [added('src/status.ts', TS_STATUS), added('test/status.test.ts', TS_STATUS_TEST)],
      task: {
        id: 'T3',
        title: 'Task status',
        description: "Add Status in src/status.ts with members TODO ('todo') and DONE ('done'), and parseStatus(text) mapping text, ignoring case and surrounding spaces, to a Status; unknown text throws a RangeError.",
      },
    },
    { name: 'a new test that checks the function’s return value', changes: tsFeature },
  ],
});
