import { afterAll, describe, expect, it } from 'vitest';
import { checkTestIntegrity } from '../../../src/engine/gates/checkTestIntegrity.js';
import type { Sandbox } from '../../../src/shared/sandbox/Sandbox.js';
import type { FileChange } from '../../../src/engine/ports/Vcs.js';
import { createLocalSandbox } from '../../../src/sandbox/createLocalSandbox.js';
import { projectConfigSchema } from '../../../src/shared/projectConfigSchema.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const sandbox = createLocalSandbox();
afterAll(() => sandbox.dispose());
const config = projectConfigSchema.parse({ commandTimeoutMs: 30_000 });
const isTest = (path: string) => path.startsWith('tests/') || path.includes('.test.');

async function check(changes: FileChange[], taskText = '', using: Sandbox = sandbox) {
  return checkTestIntegrity({ changes, isTest, taskText, sandbox: using, workspaceDir: makeTempDir(), config });
}
const edit = (path: string, before: string | null, after: string | null): FileChange => ({ path, before, after });

/** The rail's findings, one `file:line: test <id>: message` line each. */
function findings(detail: string): string[] {
  return detail.split('\n').slice(0, -1);
}

const PY = `import pytest
from cart import Cart, total


def test_total():
    assert total([500, 300]) == 800


class TestCart:
    def test_add(self):
        cart = Cart()
        cart.add(5)
        assert cart.items == [5]
        assert len(cart.items) == 1


class TestEmpty:
    def test_add(self):
        assert Cart().items == []
`;
const PY_PATH = 'tests/test_cart.py';

const VITEST = `import { describe, expect, it } from 'vitest';
import { total } from '../src/cart.js';

describe('cart', () => {
  it('totals', () => {
    expect(total([500, 300])).toBe(800);
  });
  describe('empty', () => {
    it('totals', () => {
      expect(total([])).toBe(0);
    });
  });
});
`;
const VITEST_PATH = 'src/cart.test.ts';

const NODE = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add } from '../src/add.js';

test('adds', () => {
  assert.equal(add(1, 2), 3);
});

test('adds negatives', () => {
  assert.equal(add(-1, -2), -3);
});
`;
const NODE_PATH = 'tests/add.test.js';

describe('checkTestIntegrity: refused', () => {
  it('reports a deleted test file with its tests', async () => {
    const rail = await check([edit(PY_PATH, PY, null)]);
    expect(rail).toMatchObject({ name: 'test-integrity', passed: false, failureType: 'scope', file: PY_PATH });
    expect(findings(rail.detail)).toEqual([
      'tests/test_cart.py:1: the test file is deleted with its tests tests/test_cart.py::test_total, tests/test_cart.py::TestCart::test_add, tests/test_cart.py::TestEmpty::test_add',
    ]);
  });

  it('reports a removed test even when a test of the same name remains in another class', async () => {
    const rail = await check([edit(PY_PATH, PY, PY.replace(/\n\nclass TestEmpty:[\s\S]*$/, '\n'))]);
    expect(findings(rail.detail)).toEqual(['tests/test_cart.py:18: test tests/test_cart.py::TestEmpty::test_add: is removed']);
  });

  it('counts tests with the same id as a multiset', async () => {
    const twice = `${PY}\n\ndef test_total():\n    assert total([1]) == 1\n`;
    const rail = await check([edit(PY_PATH, twice, PY)]);
    expect(findings(rail.detail)).toEqual(['tests/test_cart.py:22: test tests/test_cart.py::test_total: is removed (2 tests had this id, 1 remain)']);
    const js = VITEST.replace("  describe('empty'", "  it('totals', () => {\n    expect(total([1])).toBe(1);\n  });\n  describe('empty'");
    const jsRail = await check([edit(VITEST_PATH, js, VITEST)]);
    expect(jsRail.passed).toBe(false);
    expect(jsRail.detail).toContain('test src/cart.test.ts::cart::totals: is removed (2 tests had this id, 1 remain)');
  });

  it('reports a removed JS test inside a describe chain when a same-named test remains elsewhere', async () => {
    const after = VITEST.replace(/ {2}describe\('empty'[\s\S]*?\n {2}\}\);\n/, '');
    const rail = await check([edit(VITEST_PATH, VITEST, after)]);
    expect(findings(rail.detail)).toEqual(['src/cart.test.ts:9: test src/cart.test.ts::cart::empty::totals: is removed']);
  });

  it('reports fewer assertions in a test', async () => {
    const rail = await check([edit(PY_PATH, PY, PY.replace('        assert len(cart.items) == 1\n', ''))]);
    expect(findings(rail.detail)).toEqual(['tests/test_cart.py:10: test tests/test_cart.py::TestCart::test_add: has fewer assertions (2 -> 1)']);
  });

  it('reports an exact assertion turned into a truthiness check (Python, vitest, node:assert)', async () => {
    const python = await check([edit(PY_PATH, PY, PY.replace('assert total([500, 300]) == 800', 'assert total([500, 300])'))]);
    expect(findings(python.detail)).toEqual([
      'tests/test_cart.py:6: test tests/test_cart.py::test_total: the exact assertion `assert total([500, 300]) == 800` becomes the truthiness check `assert total([500, 300])`',
    ]);
    const notNone = await check([edit(PY_PATH, PY, PY.replace('assert Cart().items == []', 'assert Cart().items is not None'))]);
    expect(notNone.detail).toContain('becomes the truthiness check `assert Cart().items is not None`');
    const vitest = await check([edit(VITEST_PATH, VITEST, VITEST.replace('toBe(800)', 'toBeTruthy()'))]);
    expect(vitest.detail).toContain('src/cart.test.ts:6: test src/cart.test.ts::cart::totals: the exact assertion `expect(total([500, 300])).toBe(800)` becomes the truthiness check');
    const node = await check([edit(NODE_PATH, NODE, NODE.replace('assert.equal(add(1, 2), 3)', 'assert.ok(add(1, 2))'))]);
    expect(findings(node.detail)).toEqual([
      'tests/add.test.js:6: test tests/add.test.js::adds: the exact assertion `assert.equal(add(1, 2), 3)` becomes the truthiness check `assert.ok(add(1, 2))`',
    ]);
  });

  it('reports a changed expected literal that the task does not name', async () => {
    const python = await check([edit(PY_PATH, PY, PY.replace('== 800', '== 750'))], 'Speed up total() for long carts.');
    expect(findings(python.detail)).toEqual([
      'tests/test_cart.py:6: test tests/test_cart.py::test_total: its expected value changes from 800 to 750 (`assert total([500, 300]) == 800` -> `assert total([500, 300]) == 750`), and the task does not name 750',
    ]);
    const node = await check([edit(NODE_PATH, NODE, NODE.replace('assert.equal(add(-1, -2), -3)', 'assert.equal(add(-1, -2), -4)'))], 'Make add() faster; it returns 7500 for big inputs.');
    expect(node.detail).toContain('tests/add.test.js:10: test tests/add.test.js::adds negatives: its expected value changes from -3 to -4');
    const vitest = await check([edit(VITEST_PATH, VITEST, VITEST.replace('toBe(800)', 'toBe(7500)'))], 'Totals of 750 are wrong.');
    expect(vitest.passed).toBe(false);
  });

  it.each([
    ['a decorator', PY.replace('def test_total():', '@pytest.mark.skip(reason="later")\ndef test_total():'), 'skip', 5],
    ['skipif', PY.replace('def test_total():', '@pytest.mark.skipif(True, reason="x")\ndef test_total():'), 'skip', 5],
    ['xfail', PY.replace('def test_total():', '@pytest.mark.xfail\ndef test_total():'), 'xfail', 5],
    ['pytest.skip() in the body', PY.replace('    assert total([500, 300]) == 800', '    pytest.skip("flaky")\n    assert total([500, 300]) == 800'), 'skip', 6],
    ['unittest.skip', PY.replace('def test_total():', '@unittest.skip("x")\ndef test_total():'), 'skip', 5],
  ])('reports a Python test that gains a marker by %s', async (_how, after, kind, line) => {
    const rail = await check([edit(PY_PATH, PY, after)]);
    expect(findings(rail.detail)).toEqual([`tests/test_cart.py:${line}: test tests/test_cart.py::test_total: gains a ${kind} marker`]);
  });

  it('reports every test of a class or module that gains a marker', async () => {
    const rail = await check([edit(PY_PATH, PY, PY.replace('class TestCart:', '@pytest.mark.skip\nclass TestCart:').replace('from cart import', 'pytestmark = pytest.mark.xfail\nfrom cart import'))]);
    expect(findings(rail.detail)).toEqual([
      'tests/test_cart.py:2: test tests/test_cart.py::test_total: gains a xfail marker',
      'tests/test_cart.py:10: test tests/test_cart.py::TestCart::test_add: gains a skip marker',
      'tests/test_cart.py:2: test tests/test_cart.py::TestCart::test_add: gains a xfail marker',
      'tests/test_cart.py:2: test tests/test_cart.py::TestEmpty::test_add: gains a xfail marker',
    ]);
  });

  it.each([
    ['it.skip', VITEST.replace("it('totals', () => {\n    expect(total([500", "it.skip('totals', () => {\n    expect(total([500"), 'skip'],
    ['it.only', VITEST.replace("it('totals', () => {\n    expect(total([500", "it.only('totals', () => {\n    expect(total([500"), 'only'],
    ['xit', VITEST.replace("it('totals', () => {\n    expect(total([500", "xit('totals', () => {\n    expect(total([500"), 'skip'],
    ['describe.skip', VITEST.replace("describe('cart'", "describe.skip('cart'"), 'skip'],
  ])('reports a vitest test that gains %s', async (_how, after, kind) => {
    const rail = await check([edit(VITEST_PATH, VITEST, after)]);
    expect(rail.passed).toBe(false);
    expect(rail.detail).toContain(`test src/cart.test.ts::cart::totals: gains a ${kind} marker`);
  });

  it.each([
    ['{ skip: true }', NODE.replace("test('adds', () => {", "test('adds', { skip: true }, () => {"), 'skip'],
    ['t.skip()', NODE.replace("test('adds', () => {", "test('adds', (t) => {\n  t.skip();"), 'skip'],
    ['test.only', NODE.replace("test('adds', () => {", "test.only('adds', () => {"), 'only'],
    ['{ todo: true }', NODE.replace("test('adds', () => {", "test('adds', { todo: 'later' }, () => {"), 'todo'],
  ])('reports a node:test test that gains %s', async (_how, after, kind) => {
    const rail = await check([edit(NODE_PATH, NODE, after)]);
    expect(rail.detail).toContain(`test tests/add.test.js::adds: gains a ${kind} marker`);
  });

  it('reports new tests that arrive skipped, todo or focused', async () => {
    const rail = await check([
      edit('tests/test_new.py', null, 'import pytest\n\n\n@pytest.mark.skip\ndef test_x():\n    assert 1 == 1\n'),
      edit(NODE_PATH, NODE, `${NODE}\ntest.todo('subtracts');\n`),
    ]);
    expect(findings(rail.detail)).toEqual(['tests/test_new.py:4: test tests/test_new.py::test_x: is a new test marked skip', 'tests/add.test.js:13: test tests/add.test.js::subtracts: is a new test marked todo']);
  });

  it('reports a test file that no longer parses', async () => {
    const rail = await check([edit(NODE_PATH, NODE, NODE.replace("test('adds', () => {", "test('adds', () => {{"))]);
    expect(rail.passed).toBe(false);
    expect(rail.detail).toMatch(/^tests\/add\.test\.js:\d+: the test file no longer parses/);
  });

  it.each([
    ['collect_ignore', 'collect_ignore = ["test_cart.py"]\n'],
    ['collect_ignore_glob', 'collect_ignore_glob = []\ncollect_ignore_glob.append("test_*.py")\n'],
    ['pytest_ignore_collect', 'def pytest_ignore_collect(collection_path, config):\n    return "cart" in str(collection_path)\n'],
    ['pytest_collection_modifyitems', 'def pytest_collection_modifyitems(config, items):\n    items[:] = [item for item in items if "total" not in item.name]\n'],
    ['pytest_collect_file', 'def pytest_collect_file(file_path, parent):\n    return None\n'],
    ['pytest.skip', 'import pytest\n\npytest.skip("offline", allow_module_level=True)\n'],
    ['sys.exit', 'import sys\n\nsys.exit(0)\n'],
    ['os._exit', 'import os\n\nos._exit(0)\n'],
    ['pytest.exit', 'import pytest\n\n\ndef pytest_sessionstart(session):\n    pytest.exit("done", returncode=0)\n'],
    ['config.option', 'def pytest_configure(config):\n    config.option.keyword = "not total"\n'],
  ])('refuses a new conftest.py with %s', async (name, conftest) => {
    const rail = await check([edit('tests/conftest.py', null, conftest)]);
    expect(rail).toMatchObject({ passed: false, failureType: 'scope', file: 'tests/conftest.py' });
    expect(findings(rail.detail)[0]).toMatch(/^tests\/conftest\.py:\d+: `.+` is added or changed \(([\w.]+)\), which can keep tests from being collected or run$/);
    expect(findings(rail.detail)[0]).toContain(`(${name}`);
  });

  it('refuses a changed collection hook in an existing conftest.py', async () => {
    const before = 'def pytest_collection_modifyitems(config, items):\n    items.sort(key=lambda item: item.name)\n';
    const after = 'def pytest_collection_modifyitems(config, items):\n    items.sort(key=lambda item: item.name)\n    del items[0]\n';
    expect((await check([edit('conftest.py', before, after)])).detail).toMatch(/^conftest\.py:1: `def pytest_collection_modifyitems/);
  });

  it.each([
    ['pytest.ini', '[pytest]\naddopts = -ra\n', '[pytest]\naddopts = -ra -k "not total"\n', "pytest.ini:2: pytest's addopts gains `-k not total`, which deselects or skips tests"],
    ['tox.ini', '[tox]\nenvlist = py311\n', '[tox]\nenvlist = py311\n\n[pytest]\naddopts =\n    --ignore=tests/test_cart.py\n', "tox.ini:5: pytest's addopts gains `--ignore tests/test_cart.py`, which deselects or skips tests"],
    ['setup.cfg', '[tool:pytest]\ntestpaths = tests\n', '[tool:pytest]\ntestpaths = tests/unit\n', "setup.cfg:2: pytest's testpaths changes (`tests` -> `tests/unit`), which changes which tests are collected"],
    ['pyproject.toml', '[project]\nname = "cart"\n', '[project]\nname = "cart"\n\n[tool.pytest.ini_options]\npython_files = ["check_*.py"]\n', "pyproject.toml:5: pytest's python_files changes (unset -> `check_*.py`), which changes which tests are collected"],
    ['pyproject.toml', '[tool.pytest]\naddopts = ["-ra"]\n', '[tool.pytest]\naddopts = [\n  "-ra",\n  "-m", "not slow",\n]\n', "pyproject.toml:2: pytest's addopts gains `-m not slow`, which deselects or skips tests"],
    ['pytest.ini', '[pytest]\nnorecursedirs = .git\n', '[pytest]\nnorecursedirs = .git tests\n', "pytest.ini:2: pytest's norecursedirs changes (`.git` -> `.git tests`), which changes which tests are collected"],
    ['pytest.ini', '[pytest]\naddopts = -q\n', '[pytest]\naddopts = -q --deselect tests/test_cart.py::test_total --co\n', "pytest.ini:2: pytest's addopts gains `--deselect tests/test_cart.py::test_total`, which deselects or skips tests"],
  ])('refuses a pytest setting in %s that narrows collection', async (path, before, after, finding) => {
    const rail = await check([edit(path, before, after)]);
    expect(rail).toMatchObject({ passed: false, failureType: 'scope', file: path });
    expect(findings(rail.detail)[0]).toBe(finding);
  });

  it.each([
    ['vitest.config.ts', "export default defineConfig({ test: { environment: 'node' } });\n", "export default defineConfig({\n  test: {\n    environment: 'node',\n    exclude: ['src/cart.test.ts'],\n  },\n});\n", "vitest.config.ts:4: vitest's test.exclude changes (unset -> `['src/cart.test.ts']`), which changes which tests run"],
    ['vite.config.mjs', "export default { test: { include: ['src/**/*.test.ts'] } };\n", "export default { test: { include: ['src/a/*.test.ts'] } };\n", "vite.config.mjs:1: vitest's test.include changes (`['src/**/*.test.ts']` -> `['src/a/*.test.ts']`), which changes which tests run"],
    ['vitest.config.ts', "export default { test: {} };\n", "export default { test: { testNamePattern: 'adds', passWithNoTests: true } };\n", "vitest.config.ts:1: vitest's test.testNamePattern changes (unset -> `'adds'`), which changes which tests run"],
    ['vitest.workspace.ts', "export default ['packages/*'];\n", "export default ['packages/a'];\n", "vitest.workspace.ts:1: vitest's workspace changes, which changes which test projects run"],
    ['package.json', '{\n  "name": "cart",\n  "scripts": {\n    "test": "vitest run"\n  }\n}\n', '{\n  "name": "cart",\n  "scripts": {\n    "test": "vitest run src/other.test.ts"\n  }\n}\n', 'package.json:4: scripts.test changes from "vitest run" to "vitest run src/other.test.ts", which changes which tests run'],
  ])('refuses a change to %s that changes which tests run', async (path, before, after, finding) => {
    const rail = await check([edit(path, before, after)]);
    expect(rail).toMatchObject({ passed: false, failureType: 'scope', file: path });
    expect(findings(rail.detail)[0]).toBe(finding);
  });

  it('reports every finding at once, in change order', async () => {
    const rail = await check([
      edit(PY_PATH, PY, PY.replace('== 800', '== 750')),
      edit(NODE_PATH, NODE, null),
      edit('pytest.ini', '[pytest]\n', '[pytest]\ntestpaths = src\n'),
    ]);
    expect(rail.file).toBe(NODE_PATH);
    expect(findings(rail.detail)).toHaveLength(3);
  });

  it('fails as an environment problem when the sandbox cannot run Python', async () => {
    const noPython: Sandbox = { ...sandbox, run: (options) => sandbox.run({ ...options, env: { ...options.env, PATH: '/nonexistent' } }) };
    const rail = await check([edit(PY_PATH, PY, PY)], '', noPython);
    expect(rail).toMatchObject({ name: 'test-integrity', passed: false, failureType: 'environment' });
    expect(rail.detail).toContain('analyze_tests');
  });
});

describe('checkTestIntegrity: legitimate look-alikes pass', () => {
  it('passes an added test, an added assertion and a stricter assertion', async () => {
    const stricter = PY.replace('assert Cart().items == []', 'assert Cart().items == []\n        assert len(Cart().items) == 0').replace(
      '        assert cart.items == [5]\n',
      '        assert cart.items == [5]\n        assert cart.items[0] == 5\n',
    );
    const loose = PY.replace('assert total([500, 300]) == 800', 'assert total([500, 300])');
    const rail = await check([
      edit(PY_PATH, PY, `${stricter}\n\ndef test_total_empty():\n    assert total([]) == 0\n`),
      edit('tests/test_loose.py', loose, PY),
      edit(VITEST_PATH, VITEST, VITEST.replace('toBe(0)', 'toBe(0);\n      expect(total([])).toStrictEqual(0)')),
      edit(NODE_PATH, NODE.replace('assert.equal(add(1, 2), 3)', 'assert.ok(add(1, 2))'), NODE),
      edit('tests/new.test.js', null, "import { test } from 'node:test';\nimport assert from 'node:assert';\n\ntest('x', () => {\n  assert.equal(1, 1);\n});\n"),
    ]);
    expect(rail).toEqual({ name: 'test-integrity', passed: true, detail: 'no test is deleted, removed, disabled, deselected or weakened' });
  });

  it('passes an expected value the task asks to change', async () => {
    const task = 'Carts over 500 get a discount: total([500, 300]) must return 750 instead of 800.';
    expect((await check([edit(PY_PATH, PY, PY.replace('== 800', '== 750'))], task)).passed).toBe(true);
    expect((await check([edit(VITEST_PATH, VITEST, VITEST.replace('toBe(800)', 'toBe(750)'))], task)).passed).toBe(true);
    const greeting = "import { test } from 'node:test';\nimport assert from 'node:assert';\n\ntest('greets', () => {\n  assert.equal(greet('Bob'), 'Hello, Bob');\n});\n";
    const asked = await check([edit('tests/greet.test.js', greeting, greeting.replace("'Hello, Bob'", "'Hi, Bob!'"))], 'Greetings should read "Hi, Bob!" from now on.');
    expect(asked.passed).toBe(true);
  });

  it('passes a reformatted test, an unchanged marker and a renamed local', async () => {
    const skipped = PY.replace('def test_total():', '@pytest.mark.skip\ndef test_total():');
    const rail = await check([
      edit(PY_PATH, skipped, skipped.replace('assert total([500, 300]) == 800', 'assert total( [500,300] )  ==  800').replace('# nothing', '')),
      edit(VITEST_PATH, VITEST, VITEST.replace("it('totals', () => {\n    expect(total([500, 300])).toBe(800);", "it('totals', () => {\n    expect(\n      total([500, 300]),\n    ).toBe(800);")),
    ]);
    expect(rail.passed).toBe(true);
  });

  it('passes a new conftest.py with fixtures and an existing one that gains a fixture', async () => {
    const fixtures = 'import pytest\n\n\n@pytest.fixture\ndef cart():\n    from cart import Cart\n    return Cart()\n';
    const existing = 'collect_ignore = ["setup.py"]\n';
    const rail = await check([
      edit('tests/conftest.py', null, fixtures),
      edit('conftest.py', existing, `collect_ignore = [\n    "setup.py",\n]\n\n${fixtures}`),
    ]);
    expect(rail.passed).toBe(true);
  });

  it('passes unrelated configuration changes', async () => {
    const rail = await check([
      edit('pytest.ini', '[pytest]\naddopts = -ra\n', '[pytest]\naddopts = -ra -q --strict-markers\nmarkers =\n    slow: slow tests\n'),
      edit('pyproject.toml', '[project]\nname = "cart"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n', '[project]\nname = "cart"\nversion = "1.0"\n\n[tool.pytest.ini_options]\ntestpaths = [\n  "tests",  # all of them\n]\n'),
      edit('setup.cfg', '[flake8]\nmax-line-length = 100\n', '[flake8]\nmax-line-length = 120\n'),
      edit('vitest.config.ts', "export default defineConfig({ test: { environment: 'node' } });\n", "export default defineConfig({ plugins: [], test: { environment: 'node', coverage: { include: ['src'] } } });\n"),
      edit('package.json', '{"name": "cart", "scripts": {"test": "vitest run"}}', '{"name": "cart", "version": "1.0.0", "scripts": {"test": "vitest run", "lint": "eslint ."}}'),
      edit('packages/new/package.json', null, '{"name": "new", "scripts": {"test": "node --test"}}'),
    ]);
    expect(rail.detail).toBe('no test is deleted, removed, disabled, deselected or weakened');
  });

  it('passes a new enum member and test names that say TODO or skip', async () => {
    const rail = await check([
      edit('src/status.py', 'from enum import Enum\n\n\nclass Status(Enum):\n    DONE = "done"\n', 'from enum import Enum\n\n\nclass Status(Enum):\n    DONE = "done"\n    TODO = "todo"\n'),
      edit('tests/test_status.py', null, 'from status import Status\n\n\ndef test_todo_skip():\n    assert Status.TODO.value == "todo"\n'),
      edit('src/status.test.ts', null, "import { expect, it } from 'vitest';\n\nit('todo: skip only xfail', () => {\n  expect({ skip: true, todo: 'x' }).toEqual({ skip: true, todo: 'x' });\n});\n"),
    ]);
    expect(rail.passed).toBe(true);
  });

  it('passes when no test or collection file changes, without running Python', async () => {
    let runs = 0;
    const counting: Sandbox = { ...sandbox, run: (options) => ((runs += 1), sandbox.run(options)) };
    const rail = await check([edit('src/cart.py', 'def total(xs):\n    assert xs\n', null), edit(VITEST_PATH, VITEST, `${VITEST}\nit('more', () => {\n  expect(total([1])).toBe(1);\n});\n`)], '', counting);
    expect(rail.passed).toBe(true);
    expect(runs).toBe(0);
  });
});
