/**
 * Whether an error output names missing modules and every one is none of the project's own: dependencies the
 * sandbox lacks, an environment problem. A missing module that matches a local file (a project module the
 * change has yet to create, or a relative import) is the change's problem.
 */
export function onlyDependenciesMissing(options: {
  /** Test or tool output. */
  output: string;
  /** Workspace-relative paths of the project's files that matter here (changed and planned files). */
  localPaths: string[];
}): boolean {
  const missing = missingModules(options.output);
  const local = localNames(options.localPaths);
  return missing.length > 0 && missing.every((name) => !isLocal(name, local));
}

function missingModules(output: string): string[] {
  const names: string[] = [];
  for (const match of output.matchAll(/No module named '([^']+)'/g)) names.push(match[1] as string);
  for (const match of output.matchAll(/cannot import name '[^']+' from '([^']+)'/g)) names.push(match[1] as string);
  for (const match of output.matchAll(/Cannot find (?:module|package) '([^']+)'/g)) names.push(match[1] as string);
  return names;
}

/** Module-ish names a local file answers to: `src/pkg/mod.py` -> `src`, `pkg`, `mod`. */
function localNames(paths: string[]): Set<string> {
  const names = new Set<string>();
  for (const path of paths) {
    for (const segment of path.split('/')) names.add(segment.replace(/\.[^.]+$/, ''));
  }
  return names;
}

function isLocal(name: string, local: Set<string>): boolean {
  if (name.startsWith('.') || name.startsWith('/') || name.startsWith('file:')) return true;
  const parts = name.split(/[./]/).filter((part) => part !== '' && part !== '@');
  return parts.some((part) => local.has(part.replace(/\.[^.]+$/, '')));
}
