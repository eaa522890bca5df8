import * as core from '@actions/core'
import { describeError } from '../../common/errors.js'
import { OutcomeUnknownError } from '../../common/failure.js'
import { Deadline, systemClock, type Clock } from '../../common/retry.js'
import { maskAll, maskEnvironmentSecrets } from '../../common/secrets.js'
import { writeLayout, type SummaryLayout } from '../../common/summary.js'
import { BeanstalkGateway } from '../aws/beanstalk.js'
import { ownUpdate } from './decide.js'
import { readStarted, type StartedUpdate } from './state.js'

/**
 * The post step (action.yml: `post`, run when the job was cancelled or failed): aborts the update this run
 * started when it is still running, and only that one (decide.ts), once. It reports what it did in the log and,
 * when there was an update to look at, in the job summary. It never fails the job: a failure is one warning.
 */

/** How long the post step may take: the runner gives a cancelled job's post steps a few minutes at most. */
export const POST_BUDGET_MS = 60_000

export interface PostDependencies {
  gatewayFor: (region: string) => BeanstalkGateway
  clock: Clock
  env: NodeJS.ProcessEnv
}

export async function postStep(deps: Partial<PostDependencies> = {}): Promise<void> {
  const clock = deps.clock ?? systemClock
  maskEnvironmentSecrets(deps.env ?? process.env)
  const started = readStarted()
  if (!started) {
    core.info('No update of this run is left running: nothing to abort.')
    return
  }
  const what = started.label ? `${started.environmentName} to ${started.label}` : started.environmentName
  if (core.getInput('wait').trim().toLowerCase() === 'false') {
    const detail = `wait is false: the update of ${what} was handed to Beanstalk and is left to finish; nothing was aborted.`
    core.info(detail)
    return await report(started, { aborted: false, detail })
  }
  const gateway = (deps.gatewayFor ?? (region => new BeanstalkGateway(region, undefined, clock)))(
    started.region
  )
  let outcome: { aborted: boolean; detail: string }
  try {
    outcome = await gateway.within(new Deadline(POST_BUDGET_MS, clock), () => abortIfOurs(gateway, started))
  } catch (error) {
    outcome = {
      aborted: false,
      detail: `The update of ${what} could not be aborted: ${describeError(error)}`
    }
    core.warning(maskAll(outcome.detail).replace(/\s*\r?\n\s*/g, ' '), { title: 'Update not aborted' })
    return await report(started, outcome)
  }
  core.info(outcome.detail)
  await report(started, outcome)
}

async function abortIfOurs(
  gateway: BeanstalkGateway,
  started: StartedUpdate
): Promise<{ aborted: boolean; detail: string }> {
  const [env] = await gateway.environments({ ids: [started.environmentId] })
  const events = env
    ? await gateway.events({
        application: started.application,
        environmentId: started.environmentId,
        startTime: new Date(started.since)
      })
    : []
  const verdict = ownUpdate(started, env, events)
  if (!verdict.abort) return { aborted: false, detail: verdict.detail }
  try {
    const requestId = await gateway.info.abortUpdate(started.environmentId)
    return {
      aborted: true,
      detail: `Aborted: ${verdict.detail} when the run was stopped (AbortEnvironmentUpdate${requestId ? ` ${requestId}` : ''}). Beanstalk returns ${started.environmentName} to the version and configuration it ran before.`
    }
  } catch (error) {
    if (!(error instanceof OutcomeUnknownError)) throw error
    // the abort was sent but its reply was lost: never sent twice; say what the environment shows
    const [now] = await gateway.environments({ ids: [started.environmentId] })
    return {
      aborted: true,
      detail: `AbortEnvironmentUpdate was sent for ${verdict.detail}, but its reply was lost (not sent again); ${started.environmentName} is ${now?.status ?? 'unknown'} now.`
    }
  }
}

async function report(started: StartedUpdate, outcome: { aborted: boolean; detail: string }): Promise<void> {
  const layout: SummaryLayout = {
    title: 'Elastic Beanstalk: the cancelled run',
    tone: 'warning',
    // what happened, in one or two sentences: the update aborted, or why it was left alone
    headline: outcome.detail,
    facts: [
      ['Environment', `${started.environmentName} (${started.environmentId})`],
      ['Region', started.region],
      ['Version of the update', started.label],
      ['Update request', started.requestId],
      ['Requested at', started.since]
    ]
  }
  await writeLayout(layout)
}
