/** The llama backend's role beside the generating ones: the model that computes embeddings. */
export const EMBEDDING_ROLE = 'embedding' as const;
