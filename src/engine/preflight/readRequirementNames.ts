/** PyPI projects whose import name is not their normalized project name. */
const IMPORT_NAMES: Record<string, string> = {
  attrs: 'attr',
  beautifulsoup4: 'bs4',
  pillow: 'PIL',
  pyyaml: 'yaml',
  pyjwt: 'jwt',
  'python-dateutil': 'dateutil',
  'python-dotenv': 'dotenv',
  'scikit-learn': 'sklearn',
  'opencv-python': 'cv2',
  protobuf: 'google.protobuf',
  'typing-extensions': 'typing_extensions',
  'python-multipart': 'multipart',
};

/**
 * The top-level module names a requirements.txt's packages are imported as, in file order without
 * repeats: `Flask-Cors>=4 ; python_version>"3"` -> `flask_cors`. Options (`-r`, `-e`, `--index-url`),
 * URLs, paths and comments are skipped, since nothing says what they import.
 */
export function readRequirementNames(options: {
  /** The requirements file's text. */
  text: string;
}): string[] {
  const names: string[] = [];
  for (const raw of options.text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line || line.startsWith('-') || line.includes('://') || line.startsWith('.') || line.startsWith('/')) continue;
    const project = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line)?.[1];
    if (!project) continue;
    const normalized = project.toLowerCase().replace(/[._]+/g, '-');
    const name = IMPORT_NAMES[normalized] ?? normalized.replace(/-/g, '_');
    if (!names.includes(name)) names.push(name);
  }
  return names;
}
