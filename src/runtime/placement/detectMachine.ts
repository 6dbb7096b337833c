import { freemem, totalmem } from 'node:os';
import { getLlama, type Llama } from 'node-llama-cpp';
import type { MachineInfo } from './PlacementPlan.js';

/**
 * The machine Nightshift runs on: total and free memory from the OS and, on Apple Silicon, Metal's
 * recommended working set (what llama.cpp reports as the GPU's total) with unified memory. Elsewhere
 * models are planned against CPU RAM.
 */
export async function detectMachine(
  options: {
    /** A Llama instance to ask about the GPU. Default: a Metal instance created, and disposed, on Apple Silicon only. */
    llama?: Llama;
  } = {},
): Promise<MachineInfo> {
  const machine: MachineInfo = { totalMemoryBytes: totalmem(), freeMemoryBytes: freemem(), unified: false };
  const appleSilicon = process.platform === 'darwin' && process.arch === 'arm64';
  if (!appleSilicon && !options.llama) return machine;
  const llama = options.llama ?? (await getLlama({ gpu: 'metal', build: 'never' }));
  try {
    const vram = await llama.getVramState();
    if (vram.unifiedSize > 0 && vram.total > 0) return { ...machine, metalWorkingSetBytes: vram.total, unified: true };
    return machine;
  } finally {
    if (!options.llama) await llama.dispose();
  }
}
