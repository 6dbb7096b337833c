import { NightshiftError } from '../../shared/NightshiftError.js';
import { formatBytes } from './formatBytes.js';

/**
 * Why a download failed. `offline`: the host could not be reached at all (DNS, refused, unreachable).
 * `timeout`: no answer, or the transfer stalled. `http`: the server refused. `interrupted`: the connection
 * broke mid-file. `aborted`: the caller cancelled. `busy`: another pull of the same id is running.
 * `network`: any other transport failure (TLS, proxy).
 */
export type ModelDownloadFailure = 'offline' | 'timeout' | 'http' | 'interrupted' | 'aborted' | 'busy' | 'network';

/** A model file could not be downloaded. Partial downloads are kept so the next pull resumes them. */
export class ModelDownloadError extends NightshiftError {
  readonly reason: ModelDownloadFailure;

  constructor(options: {
    /** Model id being pulled. */
    id: string;
    /** URL the download was fetched from. */
    url: string;
    reason: ModelDownloadFailure;
    /** The underlying error code or message, e.g. `ECONNREFUSED`, `HTTP 404`, `pid 4242`. */
    detail: string;
    /** HTTP status for `http` failures. */
    status?: number;
    /** Bytes of the partial file kept on disk for a later resume. */
    partialBytes?: number;
    cause?: unknown;
  }) {
    const { id, url, reason, detail } = options;
    const host = hostOf(url);
    const importHint = `download the file on a machine that is online and run \`nightshift models import <file> --id ${id}\``;
    const resumeHint = `Run \`nightshift models pull ${id}\` again to resume where it stopped`;
    const kept = options.partialBytes ? ` (${formatBytes({ bytes: options.partialBytes })} kept)` : '';
    const texts: Record<ModelDownloadFailure, { message: string; hint: string }> = {
      offline: {
        message: `Could not download model "${id}": ${host} cannot be reached (${detail}); this machine looks offline.`,
        hint: `Check the network connection and retry, or ${importHint}.`,
      },
      timeout: {
        message: `Could not download model "${id}": ${host} stopped answering (${detail}); the network looks offline or very slow.`,
        hint: `${resumeHint} once the network is back, or ${importHint}.`,
      },
      http: {
        message: `Could not download model "${id}": ${url} answered ${detail}.`,
        hint:
          options.status === 401 || options.status === 403
            ? `The repository may be gated or private: accept its terms on the website, then ${importHint}.`
            : options.status === 404
              ? 'Check the model source (hf:<user>/<repo>/<file.gguf> or an https:// URL): the file does not exist there.'
              : `Retry later, or ${importHint}.`,
      },
      interrupted: {
        message: `Download of model "${id}" from ${host} was interrupted (${detail})${kept}.`,
        hint: `${resumeHint}, or ${importHint}.`,
      },
      aborted: {
        message: `Download of model "${id}" was cancelled${kept}.`,
        hint: `${resumeHint}.`,
      },
      busy: {
        message: `Model "${id}" is already being downloaded by another pull (${detail}).`,
        hint: 'Wait for that pull to finish, or stop it and pull again.',
      },
      network: {
        message: `Could not download model "${id}" from ${host}: ${detail}.`,
        hint: `Check the network (proxy, TLS interception) and retry, or ${importHint}.`,
      },
    };
    super({
      code: 'MODEL_DOWNLOAD_FAILED',
      ...texts[reason],
      context: {
        id,
        url,
        reason,
        detail,
        ...(options.status === undefined ? {} : { status: options.status }),
        ...(options.partialBytes === undefined ? {} : { partialBytes: options.partialBytes }),
      },
      cause: options.cause,
    });
    this.reason = reason;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
