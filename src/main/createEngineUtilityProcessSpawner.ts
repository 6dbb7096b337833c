import { fileURLToPath } from 'node:url';
import type { EngineParentMessage } from '../shared/engineProcessMessageSchema.js';
import type { SpawnEngineProcess } from '../host/SpawnEngineProcess.js';
import { createUtilityProcessSpawner } from './createUtilityProcessSpawner.js';

/**
 * The desktop app's SpawnEngineProcess: each session's engine runs in an Electron utilityProcess named
 * "Nightshift engine", from the engineProcessMain.js that electron-vite builds beside the main bundle.
 */
export function createEngineUtilityProcessSpawner(options: {
  /** The entry file. Default: engineProcessMain.js beside the main bundle. */
  entryPath?: string;
  /** The child's environment. Default: the main process's. */
  env?: NodeJS.ProcessEnv;
} = {}): SpawnEngineProcess {
  return createUtilityProcessSpawner<EngineParentMessage>({
    entryPath: options.entryPath ?? fileURLToPath(new URL('./engineProcessMain.js', import.meta.url)),
    serviceName: 'Nightshift engine',
    ...(options.env ? { env: options.env } : {}),
  });
}
