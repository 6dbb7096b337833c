import { afterAll, describe, expect, it } from 'vitest';
import { analyzeTestFiles } from '../../../src/engine/analysis/analyzeTestFiles.js';
import type { TestAnalysis } from '../../../src/engine/analysis/TestFileAnalysis.js';
import type { Sandbox } from '../../../src/shared/sandbox/Sandbox.js';
import { createLocalSandbox } from '../../../src/sandbox/createLocalSandbox.js';
import { projectConfigSchema } from '../../../src/shared/projectConfigSchema.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const sandbox = createLocalSandbox();
afterAll(() => sandbox.dispose());
const config = projectConfigSchema.parse({ commandTimeoutMs: 30_000 });

async function analyze(files: Record<string, string>, using: Sandbox = sandbox) {
  const workspaceDir = makeTempDir();
  return analyzeTestFiles({ files: Object.entries(files).map(([path, content]) => ({ path, content })), sandbox: using, workspaceDir, config });
}

function byId(tests: TestAnalysis[] | undefined): Record<string, TestAnalysis> {
  return Object.fromEntries((tests ?? []).map((test) => [test.id, test]));
}

const PYTHON = `import pytest
import unittest
from cart import Cart, total

pytestmark = pytest.mark.usefixtures("db")


def test_total():
    assert total([500, 300]) == 800
    assert total(
        []) == 0


def helper():
    assert False


@pytest.mark.xfail(reason="later")
def test_exists():
    assert callable(total)
    assert total is not None
    assert hasattr(Cart, "add")


class TestCart:
    def test_add(self):
        cart = Cart()
        cart.add(5)
        assert cart.items
        assert cart is not None
        with pytest.raises(ValueError):
            cart.add(-1)

    class TestNested:
        def test_add(self):
            pytest.skip("not yet")
            assert 5 in Cart().items


@pytest.mark.skip
class TestSkipped:
    def test_one(self):
        assert not total([])


class CartCase(unittest.TestCase):
    @unittest.skipIf(True, "x")
    def test_equal(self):
        self.assertEqual(total([1]), 1)
        self.assertTrue(total)
        self.assertRaises(ValueError, total, None)
        mock.assert_called_once_with(1)
        assert total([1]) != 2


class Helper:
    def test_not_collected(self):
        assert True
`;

describe('analyzeTestFiles: Python', () => {
  it('finds tests with class chains, classifies assertions and finds markers', async () => {
    const analyses = await analyze({ 'tests/test_cart.py': PYTHON });
    const file = analyses.get('tests/test_cart.py');
    expect(file?.parseError).toBeNull();
    const tests = byId(file?.tests);
    expect(Object.keys(tests)).toEqual([
      'tests/test_cart.py::test_total',
      'tests/test_cart.py::test_exists',
      'tests/test_cart.py::TestCart::test_add',
      'tests/test_cart.py::TestCart::TestNested::test_add',
      'tests/test_cart.py::TestSkipped::test_one',
      'tests/test_cart.py::CartCase::test_equal',
    ]);
    expect(tests['tests/test_cart.py::test_total']).toEqual({
      id: 'tests/test_cart.py::test_total',
      name: 'test_total',
      line: 8,
      assertions: [
        { line: 9, kind: 'exact', text: 'assert total([500, 300]) == 800', expected: '800' },
        { line: 10, kind: 'exact', text: 'assert total( []) == 0', expected: '0' },
      ],
      markers: [],
      existenceOnly: false,
    });
    expect(tests['tests/test_cart.py::test_exists']).toMatchObject({ existenceOnly: true, markers: [{ kind: 'xfail', line: 18 }] });
    expect(tests['tests/test_cart.py::test_exists']?.assertions.map((assertion) => assertion.kind)).toEqual(['truthiness', 'truthiness', 'truthiness']);
    // `cart` is the test's own value, so checking it is not an existence check.
    expect(tests['tests/test_cart.py::TestCart::test_add']).toMatchObject({
      existenceOnly: false,
      assertions: [{ kind: 'truthiness' }, { kind: 'truthiness' }, { kind: 'raises', text: 'pytest.raises(ValueError)' }],
    });
    expect(tests['tests/test_cart.py::TestCart::TestNested::test_add']).toMatchObject({
      markers: [{ kind: 'skip', line: 36 }],
      assertions: [{ kind: 'exact', expected: '5' }],
    });
    expect(tests['tests/test_cart.py::TestSkipped::test_one']?.markers).toEqual([{ kind: 'skip', line: 40 }]);
    expect(tests['tests/test_cart.py::CartCase::test_equal']).toMatchObject({
      markers: [{ kind: 'skip', line: 47 }],
      assertions: [
        { kind: 'exact', expected: '1', text: 'self.assertEqual(total([1]), 1)' },
        { kind: 'truthiness' },
        { kind: 'raises' },
        { kind: 'other', text: 'mock.assert_called_once_with(1)' },
        { kind: 'other' },
      ],
    });
  });

  it('reads module-level skip marks and skip calls as markers on every test', async () => {
    const analyses = await analyze({
      'tests/test_a.py': 'import pytest\n\npytestmark = pytest.mark.skip\n\ndef test_a():\n    assert 1 == 1\n',
      'tests/test_b.py': 'import pytest\n\npytest.skip("offline", allow_module_level=True)\n\ndef test_b():\n    assert 1 == 1\n',
    });
    expect(analyses.get('tests/test_a.py')?.tests[0]?.markers).toEqual([{ kind: 'skip', line: 3 }]);
    expect(analyses.get('tests/test_b.py')?.tests[0]?.markers).toEqual([{ kind: 'skip', line: 3 }]);
  });

  it('reports a file that does not parse instead of throwing, next to files that do', async () => {
    const analyses = await analyze({ 'tests/test_bad.py': 'def test_x(:\n    pass\n', 'tests/test_ok.py': 'def test_ok():\n    assert 1 == 1\n' });
    expect(analyses.get('tests/test_bad.py')).toEqual({ path: 'tests/test_bad.py', parseError: expect.stringMatching(/^line 1: /), tests: [] });
    expect(analyses.get('tests/test_ok.py')?.tests).toHaveLength(1);
  });
});

describe('analyzeTestFiles: JavaScript and TypeScript', () => {
  it('finds describe chains, modifiers, expect and assert assertions', async () => {
    const content = `import { describe, expect, it, test } from 'vitest';
import { total } from '../src/cart.js';

describe('cart', () => {
  describe.skip('totals', () => {
    it('adds', () => {
      expect(total([500, 300])).toBe(800);
      expect(() => total(null)).toThrow();
      expect(total([])).not.toBeNull();
    });
  });
  it.each([[1, 1]])('sums %s', (a, b) => {
    expect(total([a])).toEqual({ sum: b });
  });
  test.todo('discounts');
  it.only('exists', () => {
    expect(typeof total).toBe('function');
    expect(total).toBeDefined();
  });
  xit('computes', () => {
    const result = total([1]);
    expect(result).toBeDefined();
  });
});
`;
    const tests = byId((await analyze({ 'test/cart.test.ts': content })).get('test/cart.test.ts')?.tests);
    expect(tests['test/cart.test.ts::cart::totals::adds']).toEqual({
      id: 'test/cart.test.ts::cart::totals::adds',
      name: 'adds',
      line: 6,
      assertions: [
        { line: 7, kind: 'exact', text: 'expect(total([500, 300])).toBe(800)', expected: '800' },
        { line: 8, kind: 'raises', text: 'expect(() => total(null)).toThrow()', expected: null },
        { line: 9, kind: 'truthiness', text: 'expect(total([])).not.toBeNull()', expected: null },
      ],
      markers: [{ kind: 'skip', line: 5 }],
      existenceOnly: false,
    });
    expect(tests['test/cart.test.ts::cart::sums %s']?.assertions).toEqual([{ line: 13, kind: 'exact', text: 'expect(total([a])).toEqual({ sum: b })', expected: null }]);
    expect(tests['test/cart.test.ts::cart::discounts']).toMatchObject({ assertions: [], markers: [{ kind: 'todo', line: 15 }] });
    expect(tests['test/cart.test.ts::cart::exists']).toMatchObject({ existenceOnly: true, markers: [{ kind: 'only', line: 16 }] });
    expect(tests['test/cart.test.ts::cart::computes']).toMatchObject({ existenceOnly: false, markers: [{ kind: 'skip', line: 20 }] });
  });

  it("reads node:test options, t.skip(), subtests and node's assert in all its spellings", async () => {
    const content = `const { test } = require('node:test');
const assert = require('node:assert/strict');
const { ok, deepEqual: same } = require('node:assert');

test('adds', { skip: true }, async (t) => {
  assert.equal(add(1, 2), 3);
  assert.strict.deepEqual(add(1, 2), [3]);
  ok(add(1, 2));
  same(add(0, 0), 0);
  t.assert.strictEqual(add(2, 2), 4);
  await t.test('rejects', async () => {
    await assert.rejects(add(null));
  });
});

test('later', (t) => {
  t.skip('flaky');
  assert.notEqual(add(1, 1), 3);
});

test('only', { only: false }, () => {
  assert(add);
  assert.equal(typeof add, 'function');
});
`;
    const tests = byId((await analyze({ 'test/add.test.cjs': content })).get('test/add.test.cjs')?.tests);
    expect(tests['test/add.test.cjs::adds']).toMatchObject({
      markers: [{ kind: 'skip', line: 5 }],
      assertions: [
        { kind: 'exact', expected: '3' },
        { kind: 'exact', expected: '[3]' },
        { kind: 'truthiness' },
        { kind: 'exact', expected: '0' },
        { kind: 'exact', expected: '4', text: 't.assert.strictEqual(add(2, 2), 4)' },
      ],
    });
    expect(tests['test/add.test.cjs::adds::rejects']?.assertions).toEqual([{ line: 12, kind: 'raises', text: 'assert.rejects(add(null))', expected: null }]);
    expect(tests['test/add.test.cjs::later']).toMatchObject({ markers: [{ kind: 'skip', line: 17 }], assertions: [{ kind: 'other' }] });
    expect(tests['test/add.test.cjs::only']).toMatchObject({ markers: [], existenceOnly: true });
  });

  it('reports a file that does not parse, leaves other languages out, and runs no Python for JS alone', async () => {
    let runs = 0;
    const counting: Sandbox = { ...sandbox, run: (options) => ((runs += 1), sandbox.run(options)) };
    const analyses = await analyze({ 'test/bad.test.js': "test('x', () => {\n", 'test/data.json': '{}', 'test/ok.test.mjs': "test('ok', () => {});\n" }, counting);
    expect(analyses.get('test/bad.test.js')).toEqual({ path: 'test/bad.test.js', parseError: expect.stringMatching(/^line \d+: /), tests: [] });
    expect(analyses.get('test/ok.test.mjs')?.tests).toMatchObject([{ id: 'test/ok.test.mjs::ok', assertions: [], existenceOnly: false }]);
    expect(analyses.has('test/data.json')).toBe(false);
    expect(runs).toBe(0);
  });
});
