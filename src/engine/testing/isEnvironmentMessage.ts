/**
 * Failures that come from the machine rather than the code: a name that does not resolve, a read-only or
 * denied cache, a dependency the sandbox lacks (a missing module that is none of the project's own is
 * decided by the caller), a runner that crashed on its own.
 */
const ENVIRONMENT = [
  /getaddrinfo (?:ENOTFOUND|EAI_AGAIN)/,
  /\bENOTFOUND\b.*\blocalhost\b/,
  /Temporary failure in name resolution/,
  /\bEROFS\b|read-only file system/i,
  /\bEACCES\b.*(?:cache|\.vite|\.vitest|__pycache__|\.pytest_cache)/,
  /\bENOSPC\b/,
  /Cannot allocate memory|JavaScript heap out of memory/,
  /INTERNALERROR>/,
];

/** Whether a failure message says the environment, not the change, is at fault. */
export function isEnvironmentMessage(message: string): boolean {
  return ENVIRONMENT.some((pattern) => pattern.test(message));
}
