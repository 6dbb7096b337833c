/**
 * A parsed `--models` value (see parseModelsSpec), with its paths absolute. The same kinds are accepted
 * everywhere; a command that cannot serve one kind refuses it itself.
 */
export type ModelsSpec =
  /** llama.cpp in a model host process: the catalog profile planned for this machine, or one GGUF for every role. */
  | { kind: 'local'; modelPath: string | null }
  /** Every role on one model of an OpenAI-compatible server. */
  | { kind: 'openai'; baseUrl: string; model: string }
  /** Deterministic answers per task and phase from a JSON script (tests and demos). */
  | { kind: 'scripted'; scriptPath: string };
