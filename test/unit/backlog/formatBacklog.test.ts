import { describe, expect, it } from 'vitest';
import { formatBacklog } from '../../../src/engine/backlog/formatBacklog.js';
import { parseBacklog } from '../../../src/engine/backlog/parseBacklog.js';
import type { TaskSpec } from '../../../src/shared/taskSpecSchema.js';

describe('formatBacklog', () => {
  it('writes the documented format', () => {
    const tasks: TaskSpec[] = [
      { id: 'T1', title: 'Calculator', description: 'Add `add(a, b)`.', dependsOn: [], targetFiles: ['calc.py'], testCommand: 'pytest -q' },
      { id: 'T2', title: 'Divide', description: '', dependsOn: ['T1'], targetFiles: [] },
    ];
    expect(formatBacklog({ tasks })).toBe(
      '# Tasks\n\n## T1: Calculator\n\nAdd `add(a, b)`.\n\nFiles: calc.py\nTest: pytest -q\n\n## T2: Divide\n\nDepends on: T1\n',
    );
  });

  it('round-trips tricky descriptions and values through parseBacklog', () => {
    const tasks: TaskSpec[] = [
      {
        id: 'T1',
        title: 'Routes: GET /items',
        description: [
          'Add the route.',
          '',
          'Required imports:',
          'from fastapi import APIRouter, Depends',
          '',
          'Test: the route returns 404 for a missing id',
          '- files: also literal',
          '# literal heading',
          '\\## already escaped once',
          '```python',
          '# comment in code',
          'Files: inside code',
          '',
          '',
          'def f(): pass',
          '```',
          '- [ ] T9: a checklist line in the description',
          '### Notes',
        ].join('\n'),
        dependsOn: [],
        targetFiles: ['app/routes/items.py', 'odd, name.py', '`ticked`'],
        testCommand: '`which pytest` -q',
      },
      {
        id: 'feature.two_b',
        title: 'Second',
        description: 'Depends on nothing in particular.',
        dependsOn: ['T1'],
        targetFiles: [],
        testCommand: 'npx vitest run a,b',
      },
    ];
    const text = formatBacklog({ tasks });
    expect(parseBacklog({ text })).toEqual(tasks);
    expect(formatBacklog({ tasks: parseBacklog({ text }) })).toBe(text);
  });
});
