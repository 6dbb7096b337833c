import { z } from 'zod';

/**
 * The roles a resident model set serves: the loop's three model roles (src/shared/modelRole.ts) plus the
 * embedding model that retrieval uses. Their order is the tie-break order for loading.
 */
export const placementRoleSchema = z.enum(['brain', 'coder', 'qa', 'embedding']);

export type PlacementRole = z.infer<typeof placementRoleSchema>;
