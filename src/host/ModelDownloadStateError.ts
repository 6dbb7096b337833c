import { NightshiftError } from '../shared/NightshiftError.js';

/** A download control (start, pause, resume, cancel) does not fit what the model's download is doing. */
export class ModelDownloadStateError extends NightshiftError {
  constructor(options: {
    modelId: string;
    /** The control asked for, e.g. `pause`. */
    action: string;
    /** What the download is doing: `running`, `paused`, `failed`, or `none` when there is none. */
    state: string;
  }) {
    const { modelId, action, state } = options;
    super({
      code: 'MODEL_DOWNLOAD_STATE',
      message:
        state === 'none'
          ? `There is no download of model "${modelId}" to ${action}.`
          : `The download of model "${modelId}" is ${state}, so it cannot ${action === 'download' ? 'start again' : action}.`,
      hint: state === 'running' ? 'Wait for it to finish, or pause or cancel it first.' : 'Refresh Model files to see the downloads as they are now.',
      context: { modelId, action, state },
    });
  }
}
