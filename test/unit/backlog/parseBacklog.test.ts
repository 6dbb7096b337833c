import { describe, expect, it } from 'vitest';
import { BacklogParseError } from '../../../src/engine/backlog/BacklogParseError.js';
import { parseBacklog } from '../../../src/engine/backlog/parseBacklog.js';

function parseError(text: string, source?: string): BacklogParseError {
  try {
    parseBacklog({ text, ...(source ? { source } : {}) });
  } catch (error) {
    expect(error).toBeInstanceOf(BacklogParseError);
    return error as BacklogParseError;
  }
  throw new Error('expected parseBacklog to throw');
}

describe('parseBacklog', () => {
  it('reads heading tasks with fields, keeping required imports in the description', () => {
    const text = [
      '# Calculator backlog',
      '',
      'Intro text that is not a task.',
      '',
      '## T1: Add a Calculator class',
      '',
      'Create `Calculator` with `add(a, b)`.',
      '',
      'Required imports:',
      'from decimal import Decimal',
      '',
      'Files: src/calc.py, tests/test_calc.py',
      'Test: `python -m pytest tests/test_calc.py`',
      '',
      '## T2: Divide',
      'Raise ValueError on zero.',
      'depends on: T1',
      '**Files:** src/calc.py',
    ].join('\n');
    expect(parseBacklog({ text })).toEqual([
      {
        id: 'T1',
        title: 'Add a Calculator class',
        description: 'Create `Calculator` with `add(a, b)`.\n\nRequired imports:\nfrom decimal import Decimal',
        dependsOn: [],
        targetFiles: ['src/calc.py', 'tests/test_calc.py'],
        testCommand: 'python -m pytest tests/test_calc.py',
      },
      {
        id: 'T2',
        title: 'Divide',
        description: 'Raise ValueError on zero.',
        dependsOn: ['T1'],
        targetFiles: ['src/calc.py'],
      },
    ]);
  });

  it('reads checklist tasks, skips done ones and treats dependencies on them as satisfied', () => {
    const text = [
      '# Tasks',
      '- [x] T1: Already shipped',
      '- [ ] T2: Pop from the queue',
      '  Returns the highest priority task.',
      '  - Depends on: T1, T3',
      '',
      '  Files: `queue.py`',
      '* [X] T3: Also done',
      '+ [ ] add-peek: Peek',
      'Trailing prose ends the item.',
    ].join('\n');
    expect(parseBacklog({ text })).toEqual([
      { id: 'T2', title: 'Pop from the queue', description: 'Returns the highest priority task.', dependsOn: [], targetFiles: ['queue.py'] },
      { id: 'add-peek', title: 'Peek', description: '', dependsOn: [], targetFiles: [] },
    ]);
  });

  it('keeps checklists, deeper headings and fenced code inside a heading task', () => {
    const text = [
      '## T1: Parser',
      '### Acceptance',
      '- [ ] Note: handles empty input',
      '```python',
      '# not a heading',
      '## T9: not a task either',
      'Test: not a field',
      '```',
      '## T2: Next',
    ].join('\n');
    const tasks = parseBacklog({ text });
    expect(tasks.map((task) => task.id)).toEqual(['T1', 'T2']);
    expect(tasks[0]!.description).toBe(
      '### Acceptance\n- [ ] Note: handles empty input\n```python\n# not a heading\n## T9: not a task either\nTest: not a field\n```',
    );
    expect(tasks[0]!.testCommand).toBeUndefined();
  });

  it('accepts dependency lists separated by spaces and "and", and ignores "none"', () => {
    const text = ['## A: a', '## B: b', '## C: c', 'Dependencies: A and B', '## D: d', 'Depends on: none', 'Files: none'].join('\n');
    const tasks = parseBacklog({ text });
    expect(tasks[2]!.dependsOn).toEqual(['A', 'B']);
    expect(tasks[3]).toMatchObject({ dependsOn: [], targetFiles: [] });
  });

  it('unescapes a backslash before heading- and field-like description lines', () => {
    const text = ['## T1: Routes', '\\Test: the route returns 404', '\\## not a heading', '\\\\# kept with one backslash'].join('\n');
    expect(parseBacklog({ text })[0]).toMatchObject({
      description: 'Test: the route returns 404\n## not a heading\n\\# kept with one backslash',
    });
  });

  it('does not leave a double blank line where a field was removed', () => {
    const text = ['## T1: x', 'First.', '', 'Files: a.py', '', 'Second.'].join('\n');
    expect(parseBacklog({ text })[0]!.description).toBe('First.\n\nSecond.');
  });

  it('reports a heading without an id with the source and line', () => {
    const error = parseError('# Tasks\n\n## T1: ok\n\n## Notes\nfree text', 'backlog/TASKS.md');
    expect(error.message).toMatch(/^backlog\/TASKS\.md:5: heading "## Notes" has no task id/);
    expect(error.code).toBe('BACKLOG_INVALID');
    expect(error.context).toMatchObject({ source: 'backlog/TASKS.md', line: 5 });
  });

  it('rejects an id with spaces and a task without a title', () => {
    expect(parseError('## Step 3: do it').message).toMatch(/^TASKS\.md:1: heading .* has no task id/);
    expect(parseError('- [ ] just a note').message).toMatch(/^TASKS\.md:1: checklist item .* has no task id/);
    expect(parseError('## T1:   ').message).toBe('TASKS.md:1: task T1 has no title after the colon');
  });

  it('reports duplicate ids on the second occurrence, naming the first', () => {
    expect(parseError('## T1: a\n\n## T2: b\n\n# Done\n- [x] T1: c').message).toBe(
      'TASKS.md:6: duplicate task id T1 (first defined on line 1)',
    );
  });

  it('reports unknown dependencies on the Depends line', () => {
    expect(parseError('## T1: a\ntext\nDepends on: T0\n').message).toBe('TASKS.md:3: task T1 depends on unknown task T0');
    expect(parseError('## T1: a\nDepends on: T1, "x"').message).toMatch(/^TASKS\.md:2: task T1 lists ""x"" as a dependency/);
  });

  it('names dependency cycles, including self-dependencies', () => {
    const text = ['## T1: a', '## T2: b', 'Depends on: T3', '## T3: c', 'Depends on: T4', '## T4: d', 'Depends on: T2'].join('\n');
    expect(parseError(text).message).toBe('TASKS.md:2: dependency cycle T2 -> T3 -> T4 -> T2');
    expect(parseError('## T1: a\nDepends on: T1').message).toBe('TASKS.md:1: dependency cycle T1 -> T1');
  });

  it('rejects repeated or empty Test lines', () => {
    expect(parseError('## T1: a\nTest: npm test\nTest: npm run x').message).toBe(
      'TASKS.md:3: task T1 has more than one Test line (first on line 2)',
    );
    expect(parseError('## T1: a\nTest:   ').message).toBe('TASKS.md:2: task T1 has an empty Test line');
  });

  it('rejects a backlog without tasks, but accepts one whose tasks are all done', () => {
    expect(parseError('# Tasks\n\nNothing yet.\n').message).toBe('TASKS.md:1: no tasks found');
    expect(parseError('').message).toBe('TASKS.md:1: no tasks found');
    expect(parseBacklog({ text: '- [x] T1: done' })).toEqual([]);
  });

  it('handles CRLF line endings and keeps document order', () => {
    const tasks = parseBacklog({ text: '## B: second\r\nDepends on: A\r\n## A: first\r\n' });
    expect(tasks.map((task) => [task.id, task.dependsOn])).toEqual([
      ['B', ['A']],
      ['A', []],
    ]);
  });
});
