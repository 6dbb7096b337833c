import type { MachineInfo } from './PlacementPlan.js';

const GIB = 1024 ** 3;

/**
 * An idle Apple Silicon Mac with `memoryBytes` of unified memory, for planning on another machine
 * (`nightshift models plan --memory 64GB`) and for tests. macOS lets the GPU wire about two thirds of
 * memory up to 36 GB and three quarters above (Metal's recommendedMaxWorkingSetSize); detectMachine
 * reads the real value on a Mac.
 */
export function simulateAppleSiliconMachine(options: {
  /** Unified memory in bytes (a "64 GB" Mac has 64 GiB). */
  memoryBytes: number;
}): MachineInfo {
  const { memoryBytes } = options;
  const gpuShare = memoryBytes <= 36 * GIB ? 2 / 3 : 3 / 4;
  return { totalMemoryBytes: memoryBytes, freeMemoryBytes: memoryBytes, metalWorkingSetBytes: Math.floor(memoryBytes * gpuShare), unified: true };
}
