import { tmpdir } from 'node:os'
import { logsOnFailure as fetchLogs, type FailureLogs } from '../../common/logs/index.js'
import type { Clock } from '../../common/retry.js'
import type { BeanstalkGateway } from '../aws/beanstalk.js'
import type { Plan } from '../plan.js'
import type { OnFailed } from '../update/index.js'

/**
 * The instances' own logs when an update this run started fails (a failed deploy, a timeout, Red after the grace
 * period, before a rollback): common/logs/ fetches, masks, shows and writes them; the report keeps them.
 */

/**
 * The `onFailed` of the update stage, keeping what it fetched in the run record (for the report); undefined when
 * `log-lines` is 0.
 */
export function logsOnFailure(
  beanstalk: BeanstalkGateway,
  plan: Pick<Plan, 'application' | 'environment' | 'environmentId' | 'label'>,
  run: { inputs?: { logLines: number }; logs?: FailureLogs },
  story: { clock: Clock; env: NodeJS.ProcessEnv }
): OnFailed | undefined {
  const lines = run.inputs?.logLines ?? 0
  if (lines === 0) return undefined
  return async () => {
    run.logs = await fetchLogs(beanstalk, {
      application: plan.application,
      environments: [{ name: plan.environment, id: plan.environmentId }],
      lines,
      clock: story.clock,
      tempDir: story.env.RUNNER_TEMP || tmpdir(),
      fileName: `beanstalk-logs-${plan.environment}-${plan.label}`,
      follows: "the deploy's own error follows"
    })
  }
}
