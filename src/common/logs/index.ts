import * as core from '@actions/core'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describeError } from '../errors.js'
import { debug, phase } from '../log.js'
import { Deadline, type Clock } from '../retry.js'
import { addSecret, maskAll } from '../secrets.js'
import { fenced } from '../summary.js'
import { fetchTailLogs, LOGS_BUDGET_MS, type TailSource } from './fetch.js'
import { excerpt, fullText, type InstanceLogs } from './tail.js'

/**
 * The instances' own logs when a step fails after it changed an environment (deploy-beanstalk's update,
 * swap-environments' swap): fetched (fetch.ts), masked, written whole to the logs-file, and their telling part
 * (tail.ts) shown in the log and the job summary. Getting them never changes the step's result: a failure to is one
 * warning line per environment, and the step's own error follows as it would have.
 */

export { DEFAULT_LOG_LINES, MAX_LOG_LINES, parseLogLines } from './inputs.js'
export type { TailSource } from './fetch.js'

/** One environment's instances: what the log and the summary show of them. */
export interface EnvironmentLogs {
  environment: string
  instances: InstanceLogs[]
}

export interface FailureLogs {
  /** What the log and the summary show: per instance, the last lines of the files that explain a failure. Masked. */
  shown: EnvironmentLogs[]
  lines: number
  /** The summary's titles and the file's headers name the environment too (logs of a pair). */
  named: boolean
  /** The logs-file: every file of every instance, masked. */
  file?: string
}

export interface LogsRequest {
  application: string
  /** The environments whose instances' logs are fetched, in this order. */
  environments: ReadonlyArray<{ name: string; id: string }>
  /** `log-lines` (at least 1: 0 fetches nothing, decided by the caller). */
  lines: number
  clock: Clock
  /** RUNNER_TEMP (or the system's temp folder): where the logs-file goes. */
  tempDir: string
  /** The logs-file's name, without folder or extension (unsafe characters replaced). */
  fileName: string
  /** What the warning says follows the failure to get logs, such as "the deploy's own error follows". */
  follows: string
  /** Name the environment in the summary's titles and the file's headers (default: when there are several). */
  named?: boolean
}

/**
 * Fetches, masks, shows and writes the logs of the request's environments, within one LOGS_BUDGET_MS for all of
 * them. Never throws: an environment whose logs cannot be had is one warning line; undefined when none could.
 */
export async function logsOnFailure(
  source: TailSource,
  request: LogsRequest
): Promise<FailureLogs | undefined> {
  const deadline = new Deadline(LOGS_BUDGET_MS, request.clock)
  const shown: EnvironmentLogs[] = []
  const all: EnvironmentLogs[] = []
  for (const environment of request.environments) {
    try {
      const fetched = await phase(`Instance logs of ${environment.name}`, async () => {
        await maskPropertyValues(source, request.application, environment.name)
        const instances = masked(await fetchTailLogs(source, environment.id, request.clock, fetch, deadline))
        const excerpted = excerpt(instances, request.lines)
        printExcerpt(excerpted)
        return { instances, excerpted }
      })
      all.push({ environment: environment.name, instances: fetched.instances })
      shown.push({ environment: environment.name, instances: fetched.excerpted })
    } catch (error) {
      const why = maskAll(describeError(error)).replace(/\s*\r?\n\s*/g, ' ')
      core.warning(
        `The instances' logs of ${environment.name} could not be fetched (${why}); ${request.follows}.`
      )
    }
  }
  if (all.length === 0) return undefined
  const named = request.named ?? request.environments.length > 1
  const text = all.map(env => fullText(env.instances, named ? env.environment : undefined)).join('')
  const file = await writeLogsFile(request.tempDir, request.fileName, text)
  core.info(`Every retrieved log line (masked) is in ${file} (output logs-file).`)
  return { shown, lines: request.lines, named, file }
}

const masked = (instances: InstanceLogs[]): InstanceLogs[] =>
  instances.map(instance => ({
    instanceId: instance.instanceId,
    files: instance.files.map(file => ({ path: file.path, lines: file.lines.map(maskAll) }))
  }))

function printExcerpt(shown: readonly InstanceLogs[]): void {
  for (const instance of shown) {
    if (instance.files.length === 0)
      core.info(`${instance.instanceId}: no eb-engine.log or container log in its tail.`)
    for (const file of instance.files) {
      core.info(`${instance.instanceId} ${file.path} (the last ${file.lines.length} lines):`)
      for (const line of file.lines) core.info(`  ${line}`)
    }
  }
}

/**
 * The environment's properties as Beanstalk holds them, masked before any log line is read: values set outside
 * the step (the console, an earlier deploy) are secrets too.
 */
async function maskPropertyValues(source: TailSource, application: string, environment: string) {
  try {
    for (const value of await source.info.propertyValues(application, environment)) addSecret(value)
  } catch (error) {
    // the values the step set are masked already, and anything that looks like a secret is
    debug(`DescribeConfigurationSettings for the logs' masking: ${String(error)}`)
  }
}

async function writeLogsFile(tempDir: string, fileName: string, text: string): Promise<string> {
  await mkdir(tempDir, { recursive: true })
  const path = join(tempDir, `${fileName.replace(/[^A-Za-z0-9._-]+/g, '_')}.txt`)
  await writeFile(path, text, 'utf8')
  return path
}

/**
 * The summary's collapsed parts: one per instance, the explaining files' last lines (masked already) in one fenced
 * block, each file under its path as `tail` heads several files (`==> path <==`).
 */
export function logDetails(logs: FailureLogs | undefined): Array<{ title: string; body: string }> {
  if (!logs) return []
  return logs.shown.flatMap(env =>
    env.instances.map(instance => ({
      title: `Instance logs: ${logs.named ? `${env.environment} ` : ''}${instance.instanceId} (the last ${logs.lines} lines of eb-engine.log and the containers' logs)`,
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
  )
}
