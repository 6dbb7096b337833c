import { describe, expect, it } from 'vitest';
import { BacklogTaskInvalidError } from '../../../src/engine/backlog/BacklogTaskInvalidError.js';
import { validateBacklogDelete } from '../../../src/engine/backlog/validateBacklogDelete.js';
import { validateBacklogEdit } from '../../../src/engine/backlog/validateBacklogEdit.js';
import type { TaskSpec } from '../../../src/shared/taskSpecSchema.js';

const task = (id: string, ...dependsOn: string[]): TaskSpec => ({ id, title: `Task ${id}`, description: '', dependsOn, targetFiles: [] });
const backlog = [task('T1'), task('T2', 'T1'), task('T3')];

function refusal(run: () => unknown): { field: string; reason: string; code: string; context: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BacklogTaskInvalidError);
    const { field, reason, code, context } = error as BacklogTaskInvalidError;
    return { field, reason, code, context };
  }
  throw new Error('the edit was accepted');
}

describe('validateBacklogEdit', () => {
  it.each([
    { name: 'an empty title', edit: { task: { ...task('T4'), title: '  ' } }, field: 'title', reason: 'the title is empty' },
    { name: 'an empty id', edit: { task: task('') }, field: 'id', reason: 'the id is empty' },
    { name: 'a malformed id', edit: { task: task('my task') }, field: 'id', reason: 'task ids use letters, digits, ".", "_" and "-"' },
    { name: 'a new task with an existing id', edit: { task: task('T2') }, field: 'id', reason: 'another task already has the id T2' },
    { name: 'a rename onto an existing id', edit: { task: task('T1'), previousId: 'T3' }, field: 'id', reason: 'another task already has the id T1' },
    { name: 'a rename of a task others depend on', edit: { task: task('T1b'), previousId: 'T1' }, field: 'id', reason: 'T2 still depends on T1' },
    { name: 'an edit of a task deleted meanwhile', edit: { task: task('T9'), previousId: 'T9' }, field: 'id', reason: 'there is no task T9 to edit any more' },
    { name: 'an unknown dependency', edit: { task: task('T4', 'T1', 'T7', 'T8') }, field: 'dependsOn', reason: 'T7, T8 are not a task of this backlog' },
    { name: 'a dependency cycle', edit: { task: task('T1', 'T2'), previousId: 'T1' }, field: 'dependsOn', reason: 'the dependencies form a cycle: T1 → T2 → T1' },
    { name: 'a task depending on itself', edit: { task: task('T4', 'T4') }, field: 'dependsOn', reason: 'the dependencies form a cycle: T4 → T4' },
  ])('refuses $name, naming the field', ({ edit, field, reason }) => {
    const refused = refusal(() => validateBacklogEdit({ backlog, ...edit }));
    expect(refused).toEqual({ field, reason, code: 'BACKLOG_TASK_INVALID', context: { taskId: edit.task.id, field, reason } });
  });

  it.each([
    { name: 'a new task goes last', edit: { task: task('T4', 'T2', 'T3') }, ids: ['T1', 'T2', 'T3', 'T4'] },
    { name: 'an edit keeps its place', edit: { task: { ...task('T2', 'T3'), title: 'Divide' }, previousId: 'T2' }, ids: ['T1', 'T2', 'T3'] },
    { name: 'a rename nobody depends on keeps its place', edit: { task: task('T3b', 'T2'), previousId: 'T3' }, ids: ['T1', 'T2', 'T3b'] },
  ])('accepts a valid edit: $name', ({ edit, ids }) => {
    const next = validateBacklogEdit({ backlog, ...edit });
    expect(next.map((each) => each.id)).toEqual(ids);
    expect(next).toContainEqual(edit.task);
    expect(backlog.map((each) => each.id)).toEqual(['T1', 'T2', 'T3']);
  });
});

describe('validateBacklogDelete', () => {
  it('refuses to delete a task others depend on and allows one nobody needs', () => {
    expect(refusal(() => validateBacklogDelete({ backlog, taskId: 'T1' }))).toMatchObject({ field: 'id', reason: 'T2 still depends on it' });
    expect(() => validateBacklogDelete({ backlog, taskId: 'T2' })).not.toThrow();
  });
});
