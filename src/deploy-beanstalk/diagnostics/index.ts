import * as core from '@actions/core'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeError } from '../../common/errors.js'
import { debug, phase } from '../../common/log.js'
import type { Clock } from '../../common/retry.js'
import { addSecret, maskAll } from '../../common/secrets.js'
import { fenced } from '../../common/summary.js'
import type { BeanstalkGateway } from '../aws/beanstalk.js'
import { ENVIRONMENT_NAMESPACE } from '../configuration/inputs.js'
import type { Plan } from '../plan.js'
import type { OnFailed } from '../update/index.js'
import { fetchTailLogs } from './fetch.js'
import { excerpt, fullText, type InstanceLogs } from './tail.js'

/**
 * The instances' own logs when an update this run started fails (a failed deploy, a timeout, Red after the grace
 * period, before a rollback): fetched (fetch.ts), masked, written whole to the logs-file, and their telling part
 * (tail.ts) shown in the log and the job summary. Getting them never changes the step's result: a failure to is one
 * warning line, and the step's own error follows as it would have.
 */

export { parseLogLines } from './inputs.js'

export interface FailureLogs {
  /** What the log and the summary show: per instance, the last lines of the files that explain a failure. Masked. */
  shown: InstanceLogs[]
  lines: number
  /** The logs-file: every file of every instance, masked. */
  file?: string
}

interface LogsOptions {
  /** `log-lines`: 0 turns the logs off. */
  lines: number
  clock: Clock
  /** RUNNER_TEMP (or the system's temp folder): where the logs-file goes. */
  tempDir: string
}

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
  const options = { lines, clock: story.clock, tempDir: story.env.RUNNER_TEMP || tmpdir() }
  return async () => {
    try {
      run.logs = await phase(`Instance logs of ${plan.environment}`, () =>
        failureLogs(beanstalk, plan, options)
      )
    } catch (error) {
      const why = maskAll(describeError(error)).replace(/\s*\r?\n\s*/g, ' ')
      core.warning(
        `The instances' logs of ${plan.environment} could not be fetched (${why}); the deploy's own error follows.`
      )
    }
  }
}

async function failureLogs(
  beanstalk: BeanstalkGateway,
  plan: Pick<Plan, 'application' | 'environment' | 'environmentId' | 'label'>,
  options: LogsOptions
): Promise<FailureLogs> {
  await maskEnvironmentValues(beanstalk, plan)
  const fetched = await fetchTailLogs(beanstalk, plan.environmentId, options.clock)
  const masked = fetched.map(instance => ({
    instanceId: instance.instanceId,
    files: instance.files.map(file => ({ path: file.path, lines: file.lines.map(maskAll) }))
  }))
  const shown = excerpt(masked, options.lines)
  for (const instance of shown) {
    if (instance.files.length === 0)
      core.info(`${instance.instanceId}: no eb-engine.log or container log in its tail.`)
    for (const file of instance.files) {
      core.info(`${instance.instanceId} ${file.path} (the last ${file.lines.length} lines):`)
      for (const line of file.lines) core.info(`  ${line}`)
    }
  }
  const file = await writeLogsFile(options.tempDir, plan, fullText(masked))
  core.info(`Every retrieved log line (masked) is in ${file} (output logs-file).`)
  return { shown, lines: options.lines, file }
}

/**
 * The environment's properties (aws:elasticbeanstalk:application:environment) as Beanstalk holds them, masked
 * before any log line is read: values set outside this step (the console, an earlier deploy) are secrets too.
 */
async function maskEnvironmentValues(
  beanstalk: BeanstalkGateway,
  plan: Pick<Plan, 'application' | 'environment'>
): Promise<void> {
  try {
    const settings = await beanstalk.configurationSettings(plan.application, plan.environment)
    for (const setting of settings) if (setting.namespace === ENVIRONMENT_NAMESPACE) addSecret(setting.value)
  } catch (error) {
    // the values this step set are masked already, and anything that looks like a secret is
    debug(`DescribeConfigurationSettings for the logs' masking: ${String(error)}`)
  }
}

async function writeLogsFile(
  tempDir: string,
  plan: Pick<Plan, 'environment' | 'label'>,
  text: string
): Promise<string> {
  await mkdir(tempDir, { recursive: true })
  const name = `beanstalk-logs-${plan.environment}-${plan.label}`.replace(/[^A-Za-z0-9._-]+/g, '_')
  const path = join(tempDir, `${name}.txt`)
  await writeFile(path, text, 'utf8')
  return path
}

/**
 * The summary's collapsed parts: one per instance, the explaining files' last lines (masked already) in one fenced
 * block, each file under its path as `tail` heads several files (`==> path <==`).
 */
export function logDetails(logs: FailureLogs | undefined): Array<{ title: string; body: string }> {
  if (!logs) return []
  return logs.shown.map(instance => ({
    title: `Instance logs: ${instance.instanceId} (the last ${logs.lines} lines of eb-engine.log and the containers' logs)`,
    body:
      instance.files.length === 0
        ? '- No eb-engine.log or container log in its tail: every file retrieved is in the logs-file output.'
        : fenced(
            instance.files.flatMap((file, i) => [
              ...(i > 0 ? [''] : []),
              `==> ${file.path} <==`,
              ...file.lines
            ])
          )
  }))
}
