import { NightshiftError } from '../shared/NightshiftError.js';

/** A model was asked for after the host began shutting down. */
export class ModelResidencyClosedError extends NightshiftError {
  constructor() {
    super({
      code: 'MODEL_RESIDENCY_CLOSED',
      message: "The app's model host is shutting down, so no model can be loaded.",
      hint: 'Start the app (or `nightshift serve`) again.',
    });
  }
}
