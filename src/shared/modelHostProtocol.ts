import { z } from 'zod';
import { modelRoleSchema } from './modelRole.js';
import { phaseNameSchema } from './phaseName.js';
import type { NightshiftErrorData } from './NightshiftErrorData.js';
import { nightshiftErrorDataSchema } from './nightshiftErrorDataSchema.js';

/*
 * The contract between Nightshift and the process that runs its local models (an Electron utilityProcess
 * in the desktop app, a forked Node child in the CLI), so a llama.cpp crash or out-of-memory kill takes
 * down only that process. Both sides validate every message they receive: the other side may be a
 * different build, or dying.
 */

/** One role's model for the llama backend (LlamaRoleOptions in src/runtime/llama). */
const llamaRoleSpecSchema = z
  .object({
    /** Absolute path of the GGUF file. */
    modelPath: z.string().min(1),
    /** The name recorded in the audit, e.g. `qwen2.5-coder-7b-instruct-q4_k_m`. */
    modelId: z.string().min(1),
    /** Context window in tokens. */
    contextSize: z.number().int().positive(),
    /** Layers offloaded to the GPU: a count (0 for CPU only) or `'max'`; roles sharing a file must agree. */
    gpuLayers: z.union([z.number().int().nonnegative(), z.literal('max')]),
    /** Sampling temperature when a request gives none. Default 0 (greedy). */
    temperature: z.number().nonnegative().optional(),
    /** Output token cap when a request gives none. Default: the room the prompt leaves in the context. */
    maxTokens: z.number().int().positive().optional(),
    /** With budgetBytes: loaded when a call needs it rather than up front (a plan's `onDemand` or `must-swap`). Default false. */
    onDemand: z.boolean().optional(),
    /** With budgetBytes: never evicted once loaded. Default false. */
    pinned: z.boolean().optional(),
    /** With budgetBytes: higher loads first, after pinned models. Default 0. */
    priority: z.number().int().optional(),
  })
  .strict();

/** Which model backend the child runs, and how to build it. */
export const backendSpecSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('scripted'),
      /** Absolute path of a scripted model file (see scriptedScriptSchema). */
      scriptPath: z.string().min(1),
      /** Pause before each streamed chunk in milliseconds, to mimic generation speed. Default 0. */
      delayMs: z.number().int().nonnegative().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('llama'),
      /** The options of createLlamaBackend (src/runtime/llama): one GGUF model per role, files shared by roles loaded once. */
      roles: z.record(modelRoleSchema, llamaRoleSpecSchema),
      /** The embedding model, for `embed` calls (temperature and maxTokens unused); may share a file with a role. Default: none. */
      embedding: llamaRoleSpecSchema.optional(),
      /** CPU threads per context. Default: node-llama-cpp's choice. */
      threads: z.number().int().positive().optional(),
      /**
       * Bytes all loaded models may take together (a PlacementPlan's budgetBytes); models then load and are
       * evicted by policy instead of all loading up front. Default: no budget.
       */
      budgetBytes: z.number().int().positive().optional(),
    })
    .strict(),
]);

export type BackendSpec = z.infer<typeof backendSpecSchema>;

/** A JsonGenerateRequest (src/shared/model/JsonGenerateRequest.ts) as it crosses the boundary. */
export const hostedGenerateRequestSchema = z
  .object({
    role: modelRoleSchema,
    promptId: z.string().min(1),
    system: z.string(),
    user: z.string(),
    jsonSchema: z.record(z.string(), z.unknown()),
    meta: z.object({ taskId: z.string().min(1), phase: phaseNameSchema, attempt: z.number().int().positive() }).strict(),
    temperature: z.number().nonnegative().optional(),
    seed: z.number().int().optional(),
    maxTokens: z.number().int().positive().optional(),
  })
  .strict();

/** What an `embed` call asks: one vector per text. */
export const hostedEmbedRequestSchema = z
  .object({
    /** The texts, each within the embedding model's context. */
    texts: z.array(z.string()).min(1),
  })
  .strict();

/** What an `embed` call answers (LlamaBackend.embed in src/runtime/llama). */
export const embeddingResultSchema = z
  .object({
    /** The embedding model's id. */
    model: z.string(),
    /** One vector per text, in the texts' order, each the model's embedding length. */
    vectors: z.array(z.array(z.number())),
    usage: z
      .object({
        /** Tokens of every text together. */
        promptTokens: z.number().int().nonnegative(),
        /** Wall time of the call in milliseconds. */
        durationMs: z.number().nonnegative(),
      })
      .strict(),
  })
  .strict();

export type EmbeddingResult = z.infer<typeof embeddingResultSchema>;

const usageSchema = z
  .object({
    promptTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    durationMs: z.number().nonnegative(),
    timeToFirstTokenMs: z.number().nonnegative().nullable(),
  })
  .strict();

/** An error as it crosses the boundary: `NightshiftError.toJSON()`'s form, as on every other boundary. */
export const hostedErrorSchema = nightshiftErrorDataSchema;

export type HostedError = NightshiftErrorData;

const modelDescriptionSchema = z.object({ model: z.string(), backend: z.string() }).strict();

/** What the parent sends. `callId` and `requestId` are chosen by the parent and unique per host. */
export const modelHostParentMessageSchema = z.discriminatedUnion('type', [
  /** Build the backend; the child answers `ready` or `fatal`. Sent once, first. */
  z.object({ type: z.literal('init'), spec: backendSpecSchema }).strict(),
  /** Start a call; the child answers `token`s, then one `result` or `error`. */
  z.object({ type: z.literal('generate'), callId: z.string().min(1), request: hostedGenerateRequestSchema }).strict(),
  /** Start an embedding call; the child answers one `embedding` or `error`. Shares `callId`s and `cancel` with `generate`. */
  z.object({ type: z.literal('embed'), callId: z.string().min(1), request: hostedEmbedRequestSchema }).strict(),
  /** Stop a call; it ends with an `error` named `AbortError` unless it already ended. */
  z.object({ type: z.literal('cancel'), callId: z.string().min(1) }).strict(),
  z.object({ type: z.literal('stats'), requestId: z.string().min(1) }).strict(),
  /** Cancel every call, dispose the backend and exit. */
  z.object({ type: z.literal('shutdown') }).strict(),
]);

export type ModelHostParentMessage = z.infer<typeof modelHostParentMessageSchema>;

/** One model file loaded by the backend (LlamaResidentModel in src/runtime/llama). Bytes and milliseconds. */
const backendModelLoadSchema = z
  .object({
    modelId: z.string(),
    modelPath: z.string(),
    roles: z.array(modelRoleSchema),
    /** Whether the file also serves the embedding role. Absent from builds before it existed. */
    servesEmbedding: z.boolean().optional(),
    gpuLayers: z.number().int().nonnegative(),
    /** Tokens of context allocated for the model, its roles' together. */
    contextSize: z.number().int().nonnegative(),
    estimatedBytes: z.number().nonnegative(),
    /** What llama.cpp reported allocating across the load. */
    measuredBytes: z.number(),
    /** Change of the process's resident set across the load; noisy, may be negative. */
    rssDeltaBytes: z.number(),
    loadMs: z.number().nonnegative(),
  })
  .strict();

/** The backend's own load accounting (LlamaBackendStats in src/runtime/llama), for backends that keep one. */
export const modelBackendStatsSchema = z
  .object({
    loads: z.number().int().nonnegative(),
    /** Evictions included. */
    unloads: z.number().int().nonnegative(),
    /** Unloads made to make room for another model. */
    evictions: z.number().int().nonnegative(),
    /** The budget the loaded models share; null when every model loads up front. */
    budgetBytes: z.number().nonnegative().nullable(),
    /** Models loaded now, in load order. */
    resident: z.array(backendModelLoadSchema),
    /** The most recent loads, oldest first. */
    loadRecords: z.array(backendModelLoadSchema),
  })
  .strict();

export type ModelBackendStats = z.infer<typeof modelBackendStatsSchema>;

/** What the child reports about itself on request. Byte counts are the child's own memory. */
export const modelHostStatsSchema = z
  .object({
    pid: z.number().int(),
    /** Milliseconds since the child started serving. */
    uptimeMs: z.number().nonnegative(),
    rssBytes: z.number().int().nonnegative(),
    heapUsedBytes: z.number().int().nonnegative(),
    /** Calls generating now (at most one per role). */
    activeCalls: z.number().int().nonnegative(),
    /** Calls waiting for their role to be free. */
    queuedCalls: z.number().int().nonnegative(),
    completedCalls: z.number().int().nonnegative(),
    /** Calls that ended in an error, cancellations included. */
    failedCalls: z.number().int().nonnegative(),
    /** The backend's loads, unloads, evictions and resident models, when it keeps such figures (the llama backend does). */
    backend: modelBackendStatsSchema.optional(),
  })
  .strict();

export type ModelHostStats = z.infer<typeof modelHostStatsSchema>;

/** What the child sends. */
export const modelHostChildMessageSchema = z.discriminatedUnion('type', [
  /** The backend is built; `models` is what `describe(role)` returns for each role. */
  z.object({ type: z.literal('ready'), pid: z.number().int(), models: z.record(modelRoleSchema, modelDescriptionSchema) }).strict(),
  z.object({ type: z.literal('token'), callId: z.string().min(1), text: z.string() }).strict(),
  z
    .object({
      type: z.literal('result'),
      callId: z.string().min(1),
      result: z.object({ text: z.string(), model: z.string(), backend: z.string(), usage: usageSchema }).strict(),
    })
    .strict(),
  /** The answer to an `embed` call. */
  z.object({ type: z.literal('embedding'), callId: z.string().min(1), result: embeddingResultSchema }).strict(),
  /** A call failed, or (callId null) a message could not be understood. */
  z.object({ type: z.literal('error'), callId: z.string().min(1).nullable(), error: hostedErrorSchema }).strict(),
  z.object({ type: z.literal('stats'), requestId: z.string().min(1), stats: modelHostStatsSchema }).strict(),
  /** The child cannot go on (the backend failed to build, or an uncaught error); it exits next. */
  z.object({ type: z.literal('fatal'), error: hostedErrorSchema }).strict(),
]);

export type ModelHostChildMessage = z.infer<typeof modelHostChildMessageSchema>;
