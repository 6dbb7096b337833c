/**
 * Labels on every sandbox container, so one left behind by a killed Nightshift can be found and removed
 * (cleanOrphanSandboxes) without touching anyone else's containers.
 */
export const sandboxLabels = {
  /** Always `sandbox`. */
  kind: 'nightshift.kind',
  /** Id of the Nightshift session the container serves. */
  session: 'nightshift.session',
  /** Process id of the Nightshift process that created it, on `host`. */
  pid: 'nightshift.pid',
  /** Host name of the machine that process runs on: a pid means nothing on another machine sharing the daemon. */
  host: 'nightshift.host',
} as const;
