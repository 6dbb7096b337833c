import type { BenchRunRecord } from '../../src/bench/createBenchRunStore.js';
import type { BenchLevelResult, BenchTaskResult } from '../../src/shared/BenchLevelResult.js';
import type { NightshiftErrorData } from '../../src/shared/NightshiftErrorData.js';
import { DAY, NIGHT_1 } from './knownNights.js';

/** The older known run: bad answers with the rails on and off, on L2, L3 and L5 (whose sandbox lacks Flask). */
export const BAD_RUN = 'bench-bad';
/** The newer known run: the local profile, rails on, three repeats of L2 and L3. */
export const LOCAL_RUN = 'bench-local';

/** What one level did, by hand; the result's tasks are generated to agree with it. */
interface LevelOutcome {
  levelId: string;
  rails: 'on' | 'off';
  total: number;
  committed: number;
  /** Of the committed tasks, those committed on their first attempt. */
  firstAttempt: number;
  hiddenPassed: number;
  hiddenTotal: number;
  /** Of the committed tasks, those whose hidden tests fail. */
  falseGo: number;
  deadlocks: number;
  escalations: number;
  wallMs: number;
  /** The worst attempt's harness overhead, a fraction. */
  overheadMax: number;
  environmentError?: NightshiftErrorData;
}

const flaskMissing: NightshiftErrorData = {
  name: 'SandboxPackageUnavailableError',
  code: 'SANDBOX_PACKAGE_UNAVAILABLE',
  message: 'The sandbox cannot get the Debian package python3-flask.',
  hint: 'Build the sandbox images once online (resources/sandbox/build-offline.sh).',
  context: { packages: ['python3-flask'] },
};

/** A `runBenchLevel` result with tasks T1..Tn: committed ones first, then deadlocked, escalated and failed ones. */
function levelResult(outcome: LevelOutcome): BenchLevelResult {
  const tasks = Array.from({ length: outcome.total }, (_, index): BenchTaskResult => {
    const delivered = index < outcome.committed;
    const firstAttempt = index < outcome.firstAttempt;
    const refused = index - outcome.committed;
    const status = delivered ? 'done' : refused < outcome.deadlocks ? 'deadlocked' : refused < outcome.deadlocks + outcome.escalations ? 'escalated' : 'failed';
    const attempts = firstAttempt ? 1 : delivered ? 2 : 3;
    const failureTypes = Array.from({ length: attempts - (delivered ? 1 : 0) }, () => 'assertion');
    return {
      taskId: `T${index + 1}`,
      status,
      attempts,
      firstAttempt,
      delivered,
      hidden: delivered ? { passed: 5, failed: index < outcome.falseGo ? 2 : 0, total: index < outcome.falseGo ? 7 : 5, output: '' } : null,
      falseGo: delivered && index < outcome.falseGo,
      failureTypes,
      railsFired: failureTypes.length > 0 ? { suite: failureTypes.length } : {},
      refusedBy: delivered ? null : 'suite',
      attemptRefusedBy: [...failureTypes.map(() => 'suite'), ...(delivered ? [null] : [])],
    };
  });
  const attempts = tasks.reduce((sum, task) => sum + task.attempts, 0);
  const failures = tasks.reduce((sum, task) => sum + task.failureTypes.length, 0);
  const modelMs = Math.round(outcome.wallMs * 0.8);
  const testsMs = Math.round(outcome.wallMs * 0.15);
  return {
    levelId: outcome.levelId,
    rails: outcome.rails,
    sessionId: outcome.environmentError ? null : `s-${outcome.levelId}-${outcome.rails}`,
    wallMs: outcome.wallMs,
    tasks,
    committed: outcome.committed,
    total: outcome.total,
    hiddenPassed: outcome.hiddenPassed,
    hiddenTotal: outcome.hiddenTotal,
    firstRunPassRate: outcome.firstAttempt / outcome.total,
    attemptsPerTask: attempts / outcome.total,
    deadlocks: outcome.deadlocks,
    escalations: outcome.escalations,
    falseGo: outcome.falseGo,
    failuresByType: failures > 0 ? { assertion: failures } : {},
    failuresByRail: failures > 0 ? { suite: failures } : {},
    time: { modelMs, testsMs, harnessMs: outcome.wallMs - modelMs - testsMs },
    harnessOverheadPerAttempt: { median: outcome.overheadMax / 2, max: outcome.overheadMax },
    tokens: { coder: { promptTokens: 1000 * outcome.total, outputTokens: 400 * outcome.total, tokensPerSecond: 40 } },
    environmentError: outcome.environmentError ?? null,
  };
}

const quiet = { deadlocks: 0, escalations: 0, overheadMax: 0.03 };

function record(runId: string, startedAt: number, models: string, repeatIndex: number, outcome: LevelOutcome): BenchRunRecord {
  return { runId, startedAt, models, rails: outcome.rails, levelId: outcome.levelId, repeatIndex, result: levelResult(outcome) };
}

/**
 * Two stored benchmark runs with outcomes counted by hand, in the order `nightshift bench run` saves them. The bad
 * run shows the rails' uplift (rails off delivers broken work: false GOs); the local run has one false GO with the
 * rails on in two of L3's three repeats, which the view must show as a harness defect.
 */
export const knownBenchRuns: BenchRunRecord[] = [
  record(BAD_RUN, NIGHT_1, 'scripted:{level}/answers/bad.json', 0, { ...quiet, levelId: 'L2', rails: 'on', total: 4, committed: 0, firstAttempt: 0, hiddenPassed: 7, hiddenTotal: 70, falseGo: 0, deadlocks: 4, wallMs: 90_000 }),
  record(BAD_RUN, NIGHT_1, 'scripted:{level}/answers/bad.json', 0, { ...quiet, levelId: 'L2', rails: 'off', total: 4, committed: 3, firstAttempt: 3, hiddenPassed: 21, hiddenTotal: 70, falseGo: 3, wallMs: 30_000 }),
  record(BAD_RUN, NIGHT_1, 'scripted:{level}/answers/bad.json', 0, { ...quiet, levelId: 'L3', rails: 'on', total: 4, committed: 0, firstAttempt: 0, hiddenPassed: 0, hiddenTotal: 27, falseGo: 0, escalations: 4, wallMs: 80_000 }),
  record(BAD_RUN, NIGHT_1, 'scripted:{level}/answers/bad.json', 0, { ...quiet, levelId: 'L3', rails: 'off', total: 4, committed: 4, firstAttempt: 4, hiddenPassed: 9, hiddenTotal: 27, falseGo: 4, wallMs: 20_000 }),
  record(BAD_RUN, NIGHT_1, 'scripted:{level}/answers/bad.json', 0, {
    ...quiet, levelId: 'L5', rails: 'on', total: 5, committed: 0, firstAttempt: 0, hiddenPassed: 0, hiddenTotal: 56, falseGo: 0, wallMs: 2_000, overheadMax: 0, environmentError: flaskMissing,
  }),
  ...[
    { l2: 4, l2Hidden: 70, l3: 3, l3Hidden: 24, l3FalseGo: 1, wallMs: 600_000 },
    { l2: 3, l2Hidden: 60, l3: 4, l3Hidden: 26, l3FalseGo: 1, wallMs: 700_000 },
    { l2: 4, l2Hidden: 70, l3: 2, l3Hidden: 20, l3FalseGo: 0, wallMs: 500_000 },
  ].flatMap((repeat, repeatIndex) => [
    record(LOCAL_RUN, NIGHT_1 + DAY, 'local', repeatIndex, { ...quiet, levelId: 'L2', rails: 'on', total: 4, committed: repeat.l2, firstAttempt: repeat.l2 - 1, hiddenPassed: repeat.l2Hidden, hiddenTotal: 70, falseGo: 0, deadlocks: 4 - repeat.l2, wallMs: repeat.wallMs }),
    record(LOCAL_RUN, NIGHT_1 + DAY, 'local', repeatIndex, {
      ...quiet, levelId: 'L3', rails: 'on', total: 4, committed: repeat.l3, firstAttempt: repeat.l3, hiddenPassed: repeat.l3Hidden, hiddenTotal: 27, falseGo: repeat.l3FalseGo, escalations: 4 - repeat.l3, wallMs: repeat.wallMs, overheadMax: 0.08,
    }),
  ]),
];
