import { z } from 'zod';
import { modelCatalogSchema } from './modelCatalogSchema.js';

const catalogShape = modelCatalogSchema.shape;
const profileShape = catalogShape.profiles.element.shape;
const rolesShape = profileShape.roles.shape;
/** Override fields replace the catalog's; defaults are applied only after merging, so none here. */
const roleOverride = z
  .object({
    model: z.string().min(1),
    contextSize: z.number().int().positive(),
    gpuLayers: rolesShape.brain.shape.gpuLayers,
    pinned: z.boolean(),
    priority: z.number().int(),
    onDemand: z.boolean(),
  })
  .partial()
  .strict();

/**
 * A user's override file (`~/.nightshift/models.json`, `<project>/nightshift.models.json`): any part of
 * the catalog. A model or profile whose id exists is merged field by field (a profile's roles role by
 * role, a model's architecture field by field); a new id adds a whole entry, checked with the catalog.
 */
export const modelCatalogOverrideSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).optional(),
    minimumContext: catalogShape.minimumContext.partial().optional(),
    models: z
      .array(
        catalogShape.models.element
          .extend({ architecture: catalogShape.models.element.shape.architecture.unwrap().partial().strict().optional() })
          .partial()
          .required({ id: true })
          .strict(),
      )
      .optional(),
    profiles: z
      .array(
        z
          .object({
            id: profileShape.id,
            memoryGb: profileShape.memoryGb.optional(),
            description: profileShape.description.optional(),
            roles: z.object({ brain: roleOverride, coder: roleOverride, qa: roleOverride, embedding: roleOverride }).partial().strict().optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export type ModelCatalogOverride = z.infer<typeof modelCatalogOverrideSchema>;
