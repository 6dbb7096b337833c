/**
 * The first dependency cycle among tasks, searched in document order, as ids with the first repeated at
 * the end (`['T1', 'T2', 'T1']`), or null when there is none. Dependencies on ids not in the list are
 * ignored here; callers report them separately.
 */
export function findDependencyCycle(options: {
  /** Tasks in document order. */
  tasks: ReadonlyArray<{ id: string; dependsOn: readonly string[] }>;
}): string[] | null {
  const deps = new Map(options.tasks.map((task) => [task.id, task.dependsOn]));
  const finished = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();

  const visit = (id: string): string[] | null => {
    if (finished.has(id)) return null;
    if (onPath.has(id)) return [...path.slice(path.indexOf(id)), id];
    path.push(id);
    onPath.add(id);
    for (const dep of deps.get(id) ?? []) {
      if (!deps.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(id);
    finished.add(id);
    return null;
  };

  for (const task of options.tasks) {
    const cycle = visit(task.id);
    if (cycle) return cycle;
  }
  return null;
}
