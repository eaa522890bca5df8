import * as core from '@actions/core'
import { UserError } from '../../common/errors.js'
import { formatDuration } from '../../common/format.js'
import { debug, phase } from '../../common/log.js'
import type { Clock, Deadline } from '../../common/retry.js'
import type { BeanstalkGateway, EnvironmentInfo } from '../aws/beanstalk.js'
import { platformNotApplied } from '../platform/index.js'
import type { Plan } from '../plan.js'
import type { BeanstalkEvent } from './events.js'
import { follow, followOptionsFor, type FollowOutcome } from './follow.js'
import { rollBack, type RollbackReport } from './rollback.js'
import { startDeployment, waitUntilReady, type Started } from './start.js'

/**
 * The update stage: everything between "the version exists" and "the environment runs it": start the update
 * that sends the plan's `send` (start.ts, with the lost-reply check of lost-reply.ts), follow it until success
 * or failure (follow.ts, decided by decide.ts), roll back on failure when asked (rollback.ts). It answers with
 * one `UpdateOutcome`; `updateError` turns a failed one into the step's error.
 */
export { type RollbackReport } from './rollback.js'

export interface UpdateOutcome {
  result: 'deployed' | 'requested' | 'failed' | 'timed-out'
  /** The environment stayed busy with another update until the timeout: nothing was sent. */
  busy?: boolean
  /** The environment as the update (or its rollback) left it. */
  environment?: EnvironmentInfo
  /** The update's events, the configuration step's first (the rollback's are only logged). */
  events: BeanstalkEvent[]
  /** How the configuration change went out, when there was one (e.g. "with the version, in one update"). */
  configurationApplied?: string
  /** How the platform change went out, when there was one. */
  platformApplied?: string
  /** Why it failed or timed out: Beanstalk's own messages, the rollback, the console link. */
  reason?: string
  /** The same, one message a line, without the rollback and the link (the summary's Why). */
  why?: string[]
  /** What to do about it, when the update knows (the annotation has it inside `reason`): the summary's What to do. */
  fix?: string
  rollback?: RollbackReport
}

/** What the stage tells as it goes (for the report, should it end in an error of its own). */
export type UpdateWatch = (seen: {
  /** An UpdateEnvironment of this run was accepted. */
  requested?: boolean
  event?: BeanstalkEvent
  environment?: EnvironmentInfo
}) => void

/** Waits out another update before anything of this run is uploaded or created; undefined when it outlasts the timeout. */
export async function waitForReady(
  beanstalk: BeanstalkGateway,
  plan: Plan,
  deadline: Deadline
): Promise<EnvironmentInfo | undefined> {
  if (plan.environmentStatus === 'Ready') return plan.current
  return await phase(`Wait for ${plan.environment} to be Ready`, () =>
    waitUntilReady(beanstalk, plan.environmentId, deadline, { ...plan.current, status: 'Unknown' })
  )
}

/** Starts the update of the plan, follows it, rolls back when it fails and the plan asks for that. */
export async function carryOutUpdate(
  beanstalk: BeanstalkGateway,
  plan: Plan,
  ctx: {
    deadline: Deadline
    ready: EnvironmentInfo
    started: number
    watch: UpdateWatch
    /** Told of a failed or timed-out update before its messages are made (the instances' logs). */
    onFailed?: OnFailed
  }
): Promise<UpdateOutcome> {
  const { deadline, watch, onFailed } = ctx
  const started = await phase(`Deploy ${plan.label} to ${plan.environment}`, () =>
    startDeployment(beanstalk, plan, plan.send, deadline, ctx.ready)
  )
  if (started.kind === 'busy') return { result: 'timed-out', busy: true, events: [] }
  watch({ requested: true })
  const applied = {
    configurationApplied: plan.send.configuration ? describeApplied(started) : undefined,
    platformApplied: plan.send.platformArn ? describeApplied(started) : undefined
  }
  if (started.kind === 'configuration-failed')
    return await failed(beanstalk, plan, started.followed, {
      clock: deadline.clock,
      ...applied,
      configurationStep: true,
      onFailed
    })
  const { request, events: configurationEvents } = started
  watch({ environment: request.environment })
  if (!plan.wait) {
    core.info(`Not waiting for the update (wait: false). Follow it in the console: ${plan.consoleUrl}`)
    return {
      result: 'requested',
      environment: request.environment,
      events: configurationEvents,
      ...applied
    }
  }
  const update = { target: plan.label, previous: plan.previousLabel, request }
  const followed = await phase(`Follow the update of ${plan.environment}`, () =>
    follow(beanstalk, followOptionsFor(plan, update, deadline, { onSeen: watch }))
  )
  const events = [...configurationEvents, ...followed.events]
  // Beanstalk said success, but the environment must run the target platform too
  const notApplied = followed.kind === 'success' && platformNotApplied(plan.platform, followed.environment)
  const outcome: FollowOutcome =
    followed.kind === 'success' && notApplied
      ? {
          kind: 'failure',
          decision: { kind: 'failure', cause: 'event', reason: notApplied },
          environment: followed.environment,
          events
        }
      : { ...followed, events }
  if (outcome.kind !== 'success')
    return await failed(beanstalk, plan, outcome, { clock: deadline.clock, ...applied, onFailed })
  const after = formatDuration(deadline.clock.now() - ctx.started)
  core.info(
    `${plan.environment} runs ${plan.label}: Ready, health ${outcome.environment.health}, after ${after}.`
  )
  return {
    result: 'deployed',
    environment: outcome.environment,
    events: outcome.events,
    ...applied
  }
}

/** How the configuration (or the platform version) went out with the version, for the summary. */
function describeApplied(started: Exclude<Started, { kind: 'busy' }>): string {
  if (started.kind === 'configuration-failed')
    return 'in an update of its own, which failed (the version was not deployed)'
  if (started.twoStep)
    return 'before the version, in an update of its own (Beanstalk refused both in one update)'
  return 'with the version, in one update'
}

type Unfinished = Exclude<FollowOutcome, { kind: 'success' }>

/** Called with a failed or timed-out update (as followed) before anything else is done about it. Never throws. */
export type OnFailed = (followed: Unfinished) => Promise<void>

/** A failed or timed-out update: why, in Beanstalk's words, and the rollback when asked (and possible). */
async function failed(
  beanstalk: BeanstalkGateway,
  plan: Plan,
  followed: Unfinished,
  ctx: {
    clock: Clock
    configurationApplied?: string
    platformApplied?: string
    /** The failure is the configuration update of the two-step path (the version was not deployed). */
    configurationStep?: boolean
    onFailed?: OnFailed
  }
): Promise<UpdateOutcome> {
  // what the instances say, while they still run the failed update (before a rollback replaces it)
  await ctx.onFailed?.(followed)
  const why = failureMessages(plan, followed, ctx.configurationStep ?? false)
  let reason = failureReason(plan, followed, ctx.configurationStep ?? false)
  const replacedBy = followed.kind === 'failure' ? followed.decision.label : undefined
  const replacement =
    replacedBy === undefined ? undefined : await describeReplacement(beanstalk, plan, replacedBy)
  if (replacement) {
    // the annotation's text as before: who replaced it, then the advice
    reason += replacement.said ? ` ${replacement.said} ${CONCURRENCY}` : ` ${CONCURRENCY}`
    if (replacement.said) why.push(replacement.said)
  }
  let rollback: RollbackReport | undefined
  if (plan.rollbackOnFailure) {
    rollback =
      followed.kind === 'timeout'
        ? { result: 'skipped', detail: 'not attempted: the update may still be running.' }
        : replacedBy !== undefined
          ? {
              result: 'skipped',
              detail: `not attempted: another update deployed ${replacedBy} after this one, and a rollback would undo it.`
            }
          : await phase(`Roll back to ${plan.previousLabel ?? '(none)'}`, () =>
              rollBack(beanstalk, plan, followed.environment, ctx.clock, followed.events)
            )
    reason += ` Rollback: ${rollback.detail}`
  }
  return {
    result: followed.kind === 'timeout' ? 'timed-out' : 'failed',
    // what is true now: after a rollback, the environment as the rollback left it
    environment: rollback?.environment ?? followed.environment,
    events: followed.events,
    configurationApplied: ctx.configurationApplied,
    platformApplied: ctx.platformApplied,
    reason: `${reason} See ${plan.consoleUrl}`,
    why,
    fix: replacement ? CONCURRENCY : undefined,
    rollback
  }
}

const CONCURRENCY =
  'Two deploys to one environment ran at once: give the workflows one concurrency group per environment (docs/deploy-beanstalk.md).'

/**
 * Who replaced this run's version: the description of the label the environment runs now (a deploy of this
 * action writes the commit and the run there). A failed look-up only leaves the description out.
 */
async function describeReplacement(
  beanstalk: BeanstalkGateway,
  plan: Plan,
  label: string
): Promise<{ said?: string }> {
  try {
    const version = await beanstalk.version(plan.application, label)
    const description = version?.description?.trim()
    return {
      said: description
        ? `Version ${label} is described as "${description}".`
        : `Version ${label} has no description.`
    }
  } catch (error) {
    debug(`DescribeApplicationVersions ${label}: ${String(error)}`)
    return {}
  }
}

/** Why the update failed or timed out, in one text (the annotation), with Beanstalk's own error messages. Pure. */
export function failureReason(plan: Plan, followed: Unfinished, configurationStep: boolean): string {
  const [first, ...more] = failureMessages(plan, followed, configurationStep)
  return more.length > 0 ? `${first} Beanstalk said: ${more.join(' | ')}` : first
}

/** The same as lines: what failed, then each other error message of Beanstalk's (the last five). Pure. */
export function failureMessages(plan: Plan, followed: Unfinished, configurationStep: boolean): string[] {
  if (followed.kind === 'timeout') {
    const env = followed.environment
    const on = configurationStep
      ? `${plan.previousLabel ?? 'its version'} after the configuration update (${plan.label} was not deployed)`
      : plan.label
    const now = env
      ? `; it is ${env.status}, health ${env.health}, running ${env.versionLabel ?? 'no version'}`
      : ''
    return [
      `${plan.environment} did not reach Ready on ${on} with health ${plan.requiredHealth} within the timeout (${formatDuration(plan.timeoutMs)})${now}. The update may still be running.`
    ]
  }
  const reason = configurationStep
    ? `Applying the configuration to ${plan.environment} failed (${plan.label} was not deployed): ${followed.decision.reason}`
    : `Deploying ${plan.label} to ${plan.environment} failed: ${followed.decision.reason}`
  const errors = followed.events.filter(e => /^(ERROR|FATAL)$/i.test(e.severity)).map(e => e.message)
  const more = errors.filter(message => message !== followed.decision.reason).slice(-5)
  return [reason, ...more]
}

/** The step's error for an update that did not succeed; undefined for one that did (or was not waited for). */
export function updateError(plan: Plan, outcome: UpdateOutcome): UserError | undefined {
  if (outcome.busy) return busyError(plan)
  if (outcome.result === 'failed') return new UserError(outcome.reason ?? '', { title: 'Deployment failed' })
  if (outcome.result === 'timed-out')
    return new UserError(outcome.reason ?? '', { input: 'timeout', title: 'Deployment timed out' })
  return undefined
}

/** The environment stayed busy (another update) until the timeout: nothing of ours was deployed. */
export function busyError(plan: Plan): UserError {
  return new UserError(
    `${plan.environment} did not become Ready within the timeout (${formatDuration(plan.timeoutMs)}): another update is still running. Nothing of this run was deployed; run again later or raise timeout. See ${plan.consoleUrl}`,
    { input: 'timeout', title: 'Environment busy' }
  )
}
