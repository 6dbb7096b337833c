import { describe, expect, it } from 'vitest';
import { checkTestIntegrity } from '../../../src/engine/gates/checkTestIntegrity.js';

const isTest = (path: string) => path.startsWith('tests/') || path.includes('.test.');
const PY = 'from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n\n\ndef test_add_negative():\n    assert add(-1, -2) == -3\n';
const JS = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n\ntest('adds', () => {\n  assert.equal(add(1, 2), 3);\n});\n\ntest('adds negatives', () => {\n  assert.equal(add(-1, -2), -3);\n});\n";

function check(path: string, before: string | null, after: string | null) {
  return checkTestIntegrity({ changes: [{ path, before, after }], isTest });
}

describe('checkTestIntegrity', () => {
  it('passes added tests and ignores non-test files', () => {
    expect(check('tests/test_calc.py', PY, `${PY}\n\ndef test_more():\n    assert add(0, 0) == 0\n`).passed).toBe(true);
    expect(check('tests/test_new.py', null, 'def test_x():\n    assert True\n').passed).toBe(true);
    expect(check('src/calc.py', 'def f():\n    assert x\n', null).passed).toBe(true);
  });

  it('fails when a test file is deleted', () => {
    expect(check('tests/test_calc.py', PY, null)).toMatchObject({ passed: false, failureType: 'scope', file: 'tests/test_calc.py' });
  });

  it('fails when a Python test function or a JS test case is removed', () => {
    const python = check('tests/test_calc.py', PY, PY.replace(/\n\n\ndef test_add_negative[\s\S]*$/, '\n'));
    expect(python.passed).toBe(false);
    expect(python.detail).toContain('test "test_add_negative" is removed');
    const js = check('src/calc.test.js', JS, JS.replace("test('adds negatives'", "test('adds negative numbers'"));
    expect(js.passed).toBe(false);
    expect(js.detail).toContain('test "adds negatives" is removed');
  });

  it('fails when assertions drop', () => {
    const rail = check('tests/test_calc.py', PY, PY.replace('    assert add(-1, -2) == -3\n', '    add(-1, -2)\n'));
    expect(rail.passed).toBe(false);
    expect(rail.detail).toContain('assertions drop from 2 to 1');
    const js = check('src/calc.test.js', JS.replace("  assert.equal(add(1, 2), 3);\n", "  assert.equal(add(1, 2), 3);\n  expect(add(0, 0)).toBe(0);\n"), JS);
    expect(js.detail).toContain('assertions drop from 3 to 2');
  });

  it.each([
    ['@pytest.mark.skip', PY.replace('def test_add():', '@pytest.mark.skip(reason="later")\ndef test_add():')],
    ['@pytest.mark.skip', PY.replace('def test_add():', '@pytest.mark.skipif(True, reason="x")\ndef test_add():')],
    ['pytest.skip(', PY.replace('    assert add(1, 2) == 3', '    pytest.skip("flaky")\n    assert add(1, 2) == 3')],
    ['@unittest.skip', PY.replace('def test_add():', '@unittest.skip("x")\ndef test_add():')],
    ['xfail', PY.replace('def test_add():', '@pytest.mark.xfail\ndef test_add():')],
  ])('fails when a Python test gains %s', (label, after) => {
    const rail = check('tests/test_calc.py', PY, after);
    expect(rail.passed).toBe(false);
    expect(rail.detail).toContain(`${label} is added`);
  });

  it.each([
    ['.skip', JS.replace("test('adds',", "test.skip('adds',")],
    ['.skip', JS.replace("test('adds',", "it.skip('adds',")],
    ['.skip', `describe.skip('all', () => {});\n${JS}`],
    ['.only(', JS.replace("test('adds',", "test.only('adds',")],
    ['.todo(', `${JS}test.todo('later');\n`],
    ['xit(', `${JS}xit('x', () => { expect(1).toBe(1); });\n`],
    ['xdescribe(', `${JS}xdescribe('x', () => {});\n`],
    ['{ skip/only/todo: true }', JS.replace("test('adds', () => {", "test('adds', { skip: true }, () => {")],
  ])('fails when a JS test gains %s', (label, after) => {
    const rail = check('src/calc.test.js', JS, after);
    expect(rail.passed).toBe(false);
    expect(rail.detail).toContain(`${label} is added`);
  });

  it('fails when a new test file arrives already skipped', () => {
    const rail = check('tests/test_new.py', null, 'import pytest\n\n@pytest.mark.skip\ndef test_x():\n    assert False\n');
    expect(rail.passed).toBe(false);
  });

  it('does not count markers that were already there', () => {
    const before = PY.replace('def test_add():', '@pytest.mark.skip\ndef test_add():');
    expect(check('tests/test_calc.py', before, `${before}\n\ndef test_more():\n    assert 1\n`).passed).toBe(true);
  });
});
