import { NightshiftError } from '../shared/NightshiftError.js';

/**
 * `nightshift serve` found no built renderer. It does not build one itself: that needs the devDependencies
 * (Vite, Svelte, electron-vite), which an installed package does not have.
 */
export class RendererNotBuiltError extends NightshiftError {
  constructor(options: {
    /** Folder that should hold index.html. */
    dir: string;
    /** Nightshift's own folder, where `npm run build` runs; null when it could not be found. */
    packageRoot: string | null;
  }) {
    super({
      code: 'RENDERER_NOT_BUILT',
      message: `The app's renderer is not built (${options.dir} has no index.html).`,
      hint: `Run \`npm run build\` in ${options.packageRoot ?? 'the Nightshift checkout'}, or pass --renderer-dir with a built renderer.`,
      context: { dir: options.dir },
    });
  }
}
