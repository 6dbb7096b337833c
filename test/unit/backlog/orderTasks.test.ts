import { describe, expect, it } from 'vitest';
import { orderTasks } from '../../../src/engine/backlog/orderTasks.js';
import { TaskOrderError } from '../../../src/engine/backlog/TaskOrderError.js';
import type { TaskSpec } from '../../../src/shared/taskSpecSchema.js';

const task = (id: string, ...dependsOn: string[]): TaskSpec => ({ id, title: id, description: '', dependsOn, targetFiles: [] });
const ids = (tasks: TaskSpec[]) => tasks.map((t) => t.id);

describe('orderTasks', () => {
  it('keeps document order when there are no dependencies', () => {
    expect(ids(orderTasks({ tasks: [task('C'), task('A'), task('B')] }))).toEqual(['C', 'A', 'B']);
  });

  it('moves a task after its dependencies and otherwise keeps document order', () => {
    const tasks = [task('T1', 'T4'), task('T2'), task('T3', 'T1'), task('T4'), task('T5')];
    expect(ids(orderTasks({ tasks }))).toEqual(['T2', 'T4', 'T1', 'T3', 'T5']);
  });

  it('places a task as soon as its last dependency is placed', () => {
    const tasks = [task('D', 'B', 'C'), task('A'), task('B'), task('C')];
    expect(ids(orderTasks({ tasks }))).toEqual(['A', 'B', 'C', 'D']);
  });

  it('rejects cycles, unknown dependencies and duplicate ids', () => {
    const cycle = () => orderTasks({ tasks: [task('A', 'B'), task('B', 'A')] });
    expect(cycle).toThrow(TaskOrderError);
    expect(cycle).toThrow('dependency cycle A -> B -> A');
    expect(() => orderTasks({ tasks: [task('A', 'Z')] })).toThrow('task A depends on Z, which is not in the list');
    expect(() => orderTasks({ tasks: [task('A'), task('A')] })).toThrow('duplicate task id A');
  });
});
