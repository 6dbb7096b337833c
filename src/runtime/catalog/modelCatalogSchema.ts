import { z } from 'zod';
import { placementRoleSchema, type PlacementRole } from './placementRoleSchema.js';

const MODEL_ID = /^[a-z0-9][a-z0-9._-]*$/;
/** `hf:<user>/<repo>/<path inside the repo>.gguf`, the URI form node-llama-cpp resolves and downloads. */
const HF_SOURCE = /^hf:[^/\s]+\/[^/\s]+\/[^\s]+\.gguf$/;
/** An absolute, home-relative or relative path of a local GGUF file. */
const LOCAL_SOURCE = /^(\/|~\/|\.{1,2}\/)[^\0]*\.gguf$/;
const PARAMETERS = /^\d+(\.\d+)?[MB](-A\d+(\.\d+)?B)?$/;

const positiveInt = z.number().int().positive();

/** Static architecture numbers from the GGUF header, so plans need no download. */
const modelArchitectureSchema = z
  .object({
    /** `<arch>.block_count`: transformer blocks. */
    blockCount: positiveInt,
    /**
     * Blocks that keep a KV cache. Default blockCount; hybrid models keep one only in their attention
     * blocks (Qwen3-Next: 12 of 48), the rest hold a fixed-size recurrent state.
     */
    kvLayers: positiveInt.optional(),
    /** `<arch>.attention.head_count_kv` (the largest, when it varies by layer). */
    kvHeads: positiveInt,
    /** `<arch>.attention.key_length`: dimension of one key/value head. */
    headDim: positiveInt,
    /** `<arch>.attention.head_count`: query heads (sizes the attention scratch without flash attention). */
    headCount: positiveInt,
    /** Tokens in the vocabulary (sizes the logits buffer). */
    vocabSize: positiveInt,
    /** Sliding-window attention: `layers` of the KV layers only ever cache the last `tokens` tokens. */
    slidingWindow: z.object({ tokens: positiveInt, layers: positiveInt }).strict().optional(),
    /** Bytes of recurrent state per sequence for hybrid and recurrent models. Default 0. */
    recurrentStateBytes: z.number().int().nonnegative().optional(),
  })
  .strict();

/** One downloadable model file and what it is good for. */
const catalogModelSchema = z
  .object({
    /** Stable id used by profiles and overrides, e.g. `qwen3-coder-30b-a3b-q4km`. */
    id: z.string().regex(MODEL_ID, 'lower-case letters, digits, ".", "_" and "-", starting with a letter or digit'),
    /** Display name. */
    name: z.string().min(1),
    /** Same weights in other quantizations share a family; plans suggest smaller members of it. */
    family: z.string().regex(MODEL_ID, 'lower-case letters, digits, ".", "_" and "-"'),
    /** `hf:<user>/<repo>/<file>.gguf` (for split files: the first part) or a local path ending in `.gguf`. */
    source: z
      .string()
      .refine((value) => HF_SOURCE.test(value) || LOCAL_SOURCE.test(value), 'expected hf:<user>/<repo>/<file>.gguf or a local path ending in .gguf'),
    /** Number of files a split GGUF is published as; the source names the first. Default 1. */
    parts: z.number().int().min(2).optional(),
    /** llama.cpp quantization type, e.g. `Q4_K_M`, `Q8_0`, `MXFP4`. */
    quantization: z.string().regex(/^[A-Z0-9_-]+$/, 'an upper-case llama.cpp type such as Q4_K_M or UD-Q4_K_M'),
    /** Bytes on disk, all parts together; on Apple Silicon the weights take about this much memory. */
    fileSizeBytes: positiveInt,
    /** Total parameters, with the active count for mixture-of-experts models: `14B`, `30B-A3B`. */
    parameters: z.string().regex(PARAMETERS, 'e.g. "14B" or "30B-A3B"'),
    /** Context length the model was trained for, in tokens (`<arch>.context_length`). */
    trainedContext: positiveInt,
    /** Roles the model is a good choice for. */
    goodFor: z.array(placementRoleSchema).min(1),
    /** What to know about its chat template and output format. */
    chatTemplateNotes: z.string().min(1),
    /** SPDX id or the licence's name. */
    license: z.string().min(1),
    /** SHA-256 of the file (single-file models only); left out when not known. */
    sha256: z.string().regex(/^[a-f0-9]{64}$/, '64 lower-case hex digits').optional(),
    architecture: modelArchitectureSchema.optional(),
  })
  .strict();

/** How one role uses a model in a profile. */
const roleAssignmentSchema = z
  .object({
    /** A model id from `models`. */
    model: z.string().min(1),
    /** Context window in tokens; at least the role's `minimumContext`, at most the model's trainedContext. */
    contextSize: positiveInt,
    /**
     * Layers offloaded to the GPU: `max` (everything; right on Apple Silicon) or a count. Explicit values,
     * never `auto`: with several resident models, auto sizing depends on load order.
     */
    gpuLayers: z.union([z.literal('max'), z.number().int().nonnegative()]),
    /** Never evicted once loaded. Default false. */
    pinned: z.boolean().default(false),
    /** Higher loads earlier and is evicted later. Default 0. */
    priority: z.number().int().default(0),
    /** Expected to be swapped in when needed instead of staying resident. Default false. */
    onDemand: z.boolean().default(false),
  })
  .strict();

/** A resident set for one memory tier. */
const catalogProfileSchema = z
  .object({
    /** Stable id, e.g. `mac-64gb`. */
    id: z.string().regex(MODEL_ID, 'lower-case letters, digits, ".", "_" and "-"'),
    /** The tier: the least memory, in GiB (what Apple sells as GB), this profile is meant for. */
    memoryGb: positiveInt,
    description: z.string().min(1),
    roles: z
      .object({ brain: roleAssignmentSchema, coder: roleAssignmentSchema, qa: roleAssignmentSchema, embedding: roleAssignmentSchema.optional() })
      .strict(),
  })
  .strict();

const minimumContextSchema = z.object({ brain: positiveInt, coder: positiveInt, qa: positiveInt, embedding: positiveInt }).strict();

/**
 * `models.json`: the model catalog and the per-memory-tier profiles that map each role to a model.
 * Cross-checks: ids are unique, every profile names catalog models, no context is below its role's
 * minimum or above the model's trained context, roles sharing a model agree on gpuLayers, and a pinned
 * role is not also on demand.
 */
export const modelCatalogSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1),
    /** Smallest context per role, so no agent runs with a silently tiny window. */
    minimumContext: minimumContextSchema,
    models: z.array(catalogModelSchema).min(1),
    profiles: z.array(catalogProfileSchema).min(1),
  })
  .strict()
  .superRefine((catalog, context) => {
    const models = new Map<string, CatalogModel>();
    catalog.models.forEach((model, index) => {
      if (models.has(model.id)) context.addIssue({ code: 'custom', path: ['models', index, 'id'], message: `duplicate model id "${model.id}"` });
      models.set(model.id, model);
    });
    const profileIds = new Set<string>();
    const tiers = new Set<number>();
    catalog.profiles.forEach((profile, index) => {
      if (profileIds.has(profile.id)) context.addIssue({ code: 'custom', path: ['profiles', index, 'id'], message: `duplicate profile id "${profile.id}"` });
      if (tiers.has(profile.memoryGb)) {
        context.addIssue({ code: 'custom', path: ['profiles', index, 'memoryGb'], message: `another profile already serves the ${profile.memoryGb} GB tier` });
      }
      profileIds.add(profile.id);
      tiers.add(profile.memoryGb);
      const gpuLayersByModel = new Map<string, RoleAssignment['gpuLayers']>();
      for (const [role, assignment] of Object.entries(profile.roles) as Array<[PlacementRole, RoleAssignment | undefined]>) {
        if (!assignment) continue;
        const path = ['profiles', index, 'roles', role];
        const model = models.get(assignment.model);
        if (!model) {
          context.addIssue({ code: 'custom', path: [...path, 'model'], message: `unknown model "${assignment.model}"` });
          continue;
        }
        const minimum = catalog.minimumContext[role];
        if (assignment.contextSize < minimum) {
          context.addIssue({ code: 'custom', path: [...path, 'contextSize'], message: `${assignment.contextSize} is below the ${role} minimum of ${minimum} tokens` });
        }
        if (assignment.contextSize > model.trainedContext) {
          context.addIssue({
            code: 'custom',
            path: [...path, 'contextSize'],
            message: `${assignment.contextSize} exceeds ${model.id}'s trained context of ${model.trainedContext} tokens`,
          });
        }
        if (assignment.pinned && assignment.onDemand) {
          context.addIssue({ code: 'custom', path: [...path, 'onDemand'], message: 'a pinned role is never swapped out, so it cannot be on demand' });
        }
        const earlier = gpuLayersByModel.get(model.id);
        if (earlier !== undefined && earlier !== assignment.gpuLayers) {
          context.addIssue({ code: 'custom', path: [...path, 'gpuLayers'], message: `roles sharing ${model.id} must use the same gpuLayers (${String(earlier)})` });
        }
        gpuLayersByModel.set(model.id, assignment.gpuLayers);
      }
    });
  });

export type ModelCatalog = z.infer<typeof modelCatalogSchema>;
export type CatalogModel = z.infer<typeof catalogModelSchema>;
export type ModelArchitecture = z.infer<typeof modelArchitectureSchema>;
export type CatalogProfile = z.infer<typeof catalogProfileSchema>;
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;
