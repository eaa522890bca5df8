import { tmpdir } from 'node:os'
import { logsOnFailure } from '../common/logs/index.js'
import type { Clock } from '../common/retry.js'
import type { Environment } from './beanstalk.js'
import type { Follow } from './follow.js'
import type { SwapRun } from './report.js'

/**
 * The instances' logs when the step fails after the swap started (the swap did not take, an environment Red or not
 * Ready after it, the timeout while following): which environments they are fetched from (pure), then
 * common/logs/ fetches, masks, shows and writes them. Getting them never changes the step's result.
 */

/** Statuses without instances to ask: an environment going or gone. */
const GONE = new Set(['Terminating', 'Terminated'])

/**
 * The environments of the pair whose instances' logs explain this failure (pure): none without a failure, with
 * `log-lines` 0, or before SwapEnvironmentCNAMEs was sent; else those the last look found Red or not Ready; when
 * none was, both while the swap had not finished (its own failure, or the timeout), none once it had (a later
 * failure, such as the termination's, is not the instances').
 */
export function environmentsForLogs(
  run: Pick<SwapRun, 'swapStarted' | 'swapped' | 'before'> & { seen?: readonly Environment[] },
  error: unknown,
  lines: number
): Environment[] {
  if (error === undefined || lines === 0 || !run.swapStarted) return []
  const known = run.before ? [run.before.live, ...(run.before.idle ? [run.before.idle] : [])] : []
  const latest = known.map(env => run.seen?.find(e => e.name === env.name) ?? env)
  const present = latest.filter(env => env.id !== '' && !GONE.has(env.status))
  const troubled = present.filter(env => env.status !== 'Ready' || env.health === 'Red')
  if (troubled.length > 0) return troubled
  return run.swapped ? [] : present
}

/** Fetches the logs `environmentsForLogs` names into the run record (for the report); never throws. */
export async function fetchFailureLogs(
  record: SwapRun,
  f: Follow,
  error: unknown,
  story: { clock: Clock; env: NodeJS.ProcessEnv }
): Promise<void> {
  const inputs = record.inputs
  if (!inputs) return
  const environments = environmentsForLogs({ ...record, seen: f.seen }, error, inputs.logLines)
  if (environments.length === 0) return
  record.logs = await logsOnFailure(f.gateway, {
    application: inputs.application,
    environments,
    lines: inputs.logLines,
    clock: story.clock,
    tempDir: story.env.RUNNER_TEMP || tmpdir(),
    fileName: `beanstalk-logs-${inputs.application}-swap-${environments.map(e => e.name).join('-')}`,
    follows: "the swap's own error follows",
    named: true
  })
}
