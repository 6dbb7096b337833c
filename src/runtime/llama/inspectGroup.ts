import { stat } from 'node:fs/promises';
import { GgufInsights, readGgufFileInfo, type Llama } from 'node-llama-cpp';
import { allRoles } from './allRoles.js';
import { allSettings } from './allSettings.js';
import type { InspectedGroup } from './InspectedGroup.js';
import { LlamaModelLoadError } from './LlamaModelLoadError.js';
import type { RoleGroup } from './RoleGroup.js';

/** Reads a file's metadata, refuses what llama.cpp would choke on, and estimates its memory. */
export async function inspectGroup(options: {
  /** The llama.cpp binding whose GPU support and memory estimates apply. */
  llama: Llama;
  /** The file and the roles on it. */
  group: RoleGroup;
}): Promise<InspectedGroup> {
  const { llama, group } = options;
  const fail = (step: 'read-metadata' | 'validate', cause: unknown) => new LlamaModelLoadError({ modelPath: group.configuredPath, roles: allRoles(group), step, cause });
  const settingsList = allSettings(group);
  const first = settingsList[0]!;
  let insights: GgufInsights;
  try {
    insights = await GgufInsights.from(await readGgufFileInfo(group.modelPath), llama);
  } catch (error) {
    throw fail('read-metadata', error);
  }
  const unusable = findUnusable(insights, (await stat(group.modelPath)).size);
  if (unusable) throw fail('validate', new Error(unusable));
  const gpuLayers = !llama.supportsGpuOffloading ? 0 : first.gpuLayers === 'max' ? insights.totalLayers : Math.min(first.gpuLayers, insights.totalLayers);
  const modelEstimate = await insights.estimateModelResourceRequirementsV2({ gpuLayers });
  let estimatedBytes = modelEstimate.cpuRam + modelEstimate.gpuVram;
  for (const settings of settingsList) {
    const contextEstimate = await insights.estimateContextResourceRequirementsV2({ contextSize: settings.contextSize, modelGpuLayers: gpuLayers, sequences: 1 });
    estimatedBytes += contextEstimate.cpuRam + contextEstimate.gpuVram;
  }
  const pinned = settingsList.some((settings) => settings.pinned === true);
  return {
    group,
    modelId: group.modelId,
    gpuLayers,
    estimatedBytes,
    pinned,
    onDemand: !pinned && settingsList.every((settings) => settings.onDemand === true),
    priority: Math.max(...settingsList.map((settings) => settings.priority ?? 0)),
  };
}

/**
 * Why llama.cpp would refuse the file, or null. Checked here because a load that fails in native code
 * leaves node-llama-cpp holding a disposal lock for the failed model, so the Llama can no longer be
 * disposed; a truncated download and an unknown architecture are the usual causes.
 */
function findUnusable(insights: GgufInsights, fileSize: number): string | null {
  const info = insights.ggufFileInfo;
  if (!insights.isSupportedByLlamaCpp) return `its architecture "${info.metadata.general.architecture}" is not supported by this llama.cpp build`;
  const [first] = info.fullTensorInfo ?? [];
  if (info.splicedParts !== 1 || !first) return null;
  const dataStart = Number(BigInt(first.fileOffset) - BigInt(first.offset));
  // The unmapped estimate is the plain sum of the tensors' sizes, which the data section holds at least.
  const needed = dataStart + insights.estimateModelResourceRequirements({ gpuLayers: 0, useMmap: false }).cpuRam;
  return fileSize < needed ? `it is truncated: ${fileSize} bytes where its tensors need at least ${needed}` : null;
}
