/**
 * The quantization a GGUF file's header declares (`general.file_type`), in llama.cpp's spelling: `Q4_K_M`,
 * `F16`, `F32`. Null when the header does not say or cannot be read: the caller shows it as unknown.
 */
export async function readGgufQuantization(options: {
  /** Path of the GGUF file. */
  path: string;
}): Promise<string | null> {
  // Loaded on first use: node-llama-cpp is large, and most hosts never list a model the catalog does not describe.
  const { readGgufFileInfo, GgufFileType } = await import('node-llama-cpp');
  try {
    const info = await readGgufFileInfo(options.path, { logWarnings: false, sourceType: 'filesystem', readTensorInfo: false });
    const fileType = info.metadata.general?.file_type;
    if (fileType === undefined) return null;
    const name = GgufFileType[fileType] as string | undefined;
    return name ? name.replace(/^(ALL|MOSTLY)_/, '') : null;
  } catch {
    return null;
  }
}
