import { ModelSourceError } from './ModelSourceError.js';

const nameSegment = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The URL a model source downloads from. `hf:<user>/<repo>/<path/to/file.gguf>` becomes
 * `https://huggingface.co/<user>/<repo>/resolve/main/<path/to/file.gguf>`; `https://` and `http://` URLs
 * pass through (integrity is checked on the file, not trusted to the transport).
 */
export function resolveModelSource(options: {
  /** An `hf:` URI or an http(s) URL. */
  source: string;
  /** Base URL `hf:` sources resolve against, for mirrors (what `HF_ENDPOINT` names). Default `https://huggingface.co`. */
  huggingFaceEndpoint?: string;
}): string {
  const { source } = options;
  if (source.startsWith('hf:')) return resolveHuggingFace(source, (options.huggingFaceEndpoint ?? 'https://huggingface.co').replace(/\/+$/, ''));
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new ModelSourceError({ source, problem: 'it is neither an hf: URI nor a URL' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ModelSourceError({ source, problem: `the ${url.protocol} scheme is not supported` });
  }
  return url.href;
}

function resolveHuggingFace(source: string, endpoint: string): string {
  const segments = source.slice('hf:'.length).split('/');
  const [user, repo, ...file] = segments;
  if (!user || !repo || !nameSegment.test(user) || !nameSegment.test(repo)) {
    throw new ModelSourceError({ source, problem: 'it does not start with hf:<user>/<repo>/' });
  }
  if (file.length === 0) {
    throw new ModelSourceError({ source, problem: 'it names a repository but no file in it' });
  }
  if (file.some((segment) => segment === '' || segment === '.' || segment === '..' || /[\\?#%]/.test(segment))) {
    throw new ModelSourceError({ source, problem: 'the file path has an empty, ".", ".." or escaped segment' });
  }
  if (!file.at(-1)!.toLowerCase().endsWith('.gguf')) {
    throw new ModelSourceError({ source, problem: 'the file is not a .gguf file' });
  }
  return `${endpoint}/${user}/${repo}/resolve/main/${file.map(encodeURIComponent).join('/')}`;
}
