import { describe, expect, it } from 'vitest';
import { BacklogParseError } from '../../../src/engine/backlog/BacklogParseError.js';
import { formatBacklog } from '../../../src/engine/backlog/formatBacklog.js';
import { importPrd } from '../../../src/engine/backlog/importPrd.js';
import { parseBacklog } from '../../../src/engine/backlog/parseBacklog.js';

const prd = [
  '# Calculator PRD',
  '',
  '## Background',
  '- People need to add numbers.',
  '',
  '## Requirements',
  '',
  '1. **Add**: `Calculator.add(a, b)` returns the sum.',
  '2. Division by zero raises ValueError. The message names the',
  'divisor.',
  '   - Required imports: `from calc import Calculator`',
  '   - Compare with `Decimal("0.1")`, not floats.',
  '',
  '   ```python',
  '   # example',
  '   Calculator().divide(1, 0)',
  '   ```',
  '3. [x] Already done item',
  '',
  '### Queue',
  '- A priority queue whose `pop()` returns the highest priority task first, breaking ties by insertion order so that results are stable',
  '',
  '### Out of scope',
  '- Scientific functions',
  '',
  '## Open questions',
  '1. Should we support complex numbers?',
].join('\n');

describe('importPrd', () => {
  it('turns each requirement into a task with generated ids and sub-bullets in the description', () => {
    const tasks = importPrd({ text: prd });
    expect(tasks.map((task) => [task.id, task.title])).toEqual([
      ['T1', 'Add'],
      ['T2', 'Division by zero raises ValueError'],
      ['T3', 'A priority queue whose `pop()` returns the highest priority task first...'],
    ]);
    expect(tasks[0]).toEqual({
      id: 'T1',
      title: 'Add',
      description: '**Add**: `Calculator.add(a, b)` returns the sum.',
      dependsOn: [],
      targetFiles: [],
    });
    expect(tasks[1]!.description).toBe(
      [
        'Division by zero raises ValueError. The message names the',
        'divisor.',
        '- Required imports: `from calc import Calculator`',
        '- Compare with `Decimal("0.1")`, not floats.',
        '',
        '```python',
        '# example',
        'Calculator().divide(1, 0)',
        '```',
      ].join('\n'),
    );
    expect(tasks[2]!.title.length).toBeLessThanOrEqual(80);
  });

  it('uses every section but excluded ones when no heading names requirements', () => {
    const text = ['# Todo app', '## Overview', '- not a task', '## API', '* GET /todos lists todos', '* POST /todos creates one'].join('\n');
    expect(importPrd({ text }).map((task) => task.title)).toEqual(['GET /todos lists todos', 'POST /todos creates one']);
  });

  it('stops an item at an unindented paragraph after a blank line', () => {
    const text = ['## Features', '- Export CSV', '', 'Some closing prose.'].join('\n');
    expect(importPrd({ text })).toMatchObject([{ title: 'Export CSV', description: 'Export CSV' }]);
  });

  it('produces tasks that survive formatBacklog and parseBacklog', () => {
    const tasks = importPrd({ text: prd });
    expect(parseBacklog({ text: formatBacklog({ tasks }) })).toEqual(tasks);
  });

  it('fails with a located error when there are no requirements', () => {
    const run = () => importPrd({ text: '# PRD\n\nJust prose.\n', source: 'docs/prd.md' });
    expect(run).toThrow(BacklogParseError);
    expect(run).toThrow('docs/prd.md:1: no requirements found');
  });
});
