/** The harness-overhead target per attempt: time outside model calls and commands, as a fraction of the attempt (the 5%). */
export const HARNESS_OVERHEAD_TARGET = 0.05;
