/** One assertion inside a test. */
export interface AssertionInfo {
  /** 1-based line where the assertion starts. */
  line: number;
  /**
   * `exact`: compares against a value (`==`, `assertEqual`, `toBe`, `assert.equal`, ordering and membership);
   * `truthiness`: only checks that something is truthy, falsy, defined or not None;
   * `raises`: expects an exception or a rejection; `other`: anything else (mock call checks, `!=`, snapshots).
   */
  kind: 'exact' | 'truthiness' | 'raises' | 'other';
  /** The assertion's source on one line, whitespace runs collapsed. */
  text: string;
  /** Source of the literal an exact assertion compares against (`800`, `'Hi, Bob'`, `[1, 2]`); null otherwise. */
  expected: string | null;
}

/** One test as the runner would collect it, with what it asserts and what disables it. */
export interface TestAnalysis {
  /**
   * The file path, the class or describe chain and the test's name joined with `::`:
   * `tests/test_a.py::TestCart::test_total`, `src/a.test.ts::cart::totals::adds`. Not unique when a file
   * defines two tests with the same name in the same place.
   */
  id: string;
  /** The test's own name (a Python function name, a JS test title). */
  name: string;
  /** 1-based line of the test's definition. */
  line: number;
  /** Its assertions in source order, nested helpers and loops included, subtests excluded. */
  assertions: AssertionInfo[];
  /** skip/only/xfail/todo markers that apply to it, its own and those inherited from classes, suites and the module. */
  markers: Array<{ kind: 'skip' | 'only' | 'xfail' | 'todo'; line: number }>;
  /**
   * True when it has assertions and every one only checks that a symbol exists or is callable (`hasattr`,
   * `callable`, `f is not None`, `typeof f === 'function'`, `toBeDefined()` on an imported name). A name the
   * test assigned itself holds a computed value, so checking it is not an existence check.
   */
  existenceOnly: boolean;
}

/** What a test file contains; a file that does not parse has `parseError` and no tests. */
export interface TestFileAnalysis {
  /** Workspace-relative path, as given. */
  path: string;
  /** Why the file does not parse (`line 3: invalid syntax`); null when it parses. */
  parseError: string | null;
  tests: TestAnalysis[];
}
