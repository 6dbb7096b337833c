import { CliUsageError } from './CliUsageError.js';

/**
 * Refuses `--profile` unless `--models` is exactly `local`: a profile picks models from the catalog, which
 * `local:FILE.gguf`, `openai:` and `scripted:` never read, so the flag would be silently ignored.
 */
export function checkProfileOption(options: {
  /** The `--models` value. */
  models: string;
  /** The `--profile` value, if given. */
  profile: string | undefined;
}): void {
  const { models, profile } = options;
  if (profile === undefined || models === 'local') return;
  throw new CliUsageError({
    message: `--profile ${profile} chooses catalog models for --models local, but --models is "${models}", which does not use the catalog.`,
    hint: models.startsWith('local:')
      ? 'With --models local:FILE.gguf that one file serves every role: drop --profile, or use --models local --profile ID.'
      : 'Drop --profile, or use --models local --profile ID to run that catalog profile.',
    context: { models, profile },
  });
}
