import * as core from '@actions/core'
import { formatDuration } from '../common/format.js'
import { debug, phase } from '../common/log.js'
import { Deadline, systemClock, type Clock } from '../common/retry.js'
import type { Action } from '../common/run.js'
import { CloudFrontGateway, createCloudFrontClient, invalidationConsoleUrl } from './cloudfront.js'
import {
  describeDistributions,
  findDistribution,
  noDistributionError,
  unknownIdError
} from './distribution.js'
import { readInputs, type Inputs } from './inputs.js'
import { createInvalidation, NoSuchDistributionError, waitForCompletion } from './invalidation.js'
import { describePlan, makePlan, type Plan } from './plan.js'
import { report, type InvalidateRun, type Outcome } from './report.js'

/** How far CloudFront's clock may be ahead of the runner's, for telling a reused invalidation from a new one. */
const CLOCK_SKEW_MS = 5_000

export interface Dependencies {
  gateway: CloudFrontGateway
  clock: Clock
  env: NodeJS.ProcessEnv
}

/** inputs → resolve the distribution → plan → invalidate → wait → report. */
export function invalidateCloudFront(deps: Partial<Dependencies> = {}): Action<InvalidateRun> {
  const { clock = systemClock, env = process.env } = deps
  return {
    record: () => ({}),
    main: async record => {
      const gateway = deps.gateway ?? new CloudFrontGateway(createCloudFrontClient(clock))
      const inputs = (record.inputs = readInputs())
      const deadline = (record.deadline = new Deadline(inputs.timeoutMs, clock))
      const distribution = await resolveDistribution(gateway, inputs)
      record.distributionId = distribution.id
      const plan = (record.plan = makePlan(inputs, distribution, env))
      await phase('Plan', async () => describePlan(plan).forEach(line => core.info(line)))
      const created = (record.outcome = await create(gateway, plan, deadline))
      const outcome = (record.outcome = await waitIfAsked(gateway, plan, created, deadline))
      if (outcome.status === 'Completed') {
        core.info(`Invalidation ${outcome.invalidationId} on ${plan.distributionId}: Completed.`)
      }
    },
    report
  }
}

/** The distribution id: as given, or looked up by alternate domain name (read-only). */
async function resolveDistribution(
  gateway: CloudFrontGateway,
  inputs: Inputs
): Promise<{ id: string; domain?: string }> {
  const { target } = inputs
  if (target.kind === 'id') return { id: target.distributionId }
  return await phase(`Find the distribution for ${target.domain}`, async () => {
    const distributions = await gateway.listDistributions()
    core.info(`This account has ${distributions.length} CloudFront distribution(s).`)
    const match = findDistribution(target.domain, distributions)
    if (!match) throw noDistributionError(target.domain, distributions)
    core.info(`${target.domain} is served by:\n${describeDistributions([match.distribution])}`)
    if (match.matchedBy !== target.domain) core.info(`(matched by ${match.matchedBy})`)
    return { id: match.distribution.id, domain: target.domain }
  })
}

/** Creates the invalidation (a busy distribution waited out); says when CloudFront handed back an earlier one. */
async function create(gateway: CloudFrontGateway, plan: Plan, deadline: Deadline): Promise<Outcome> {
  return await phase('Create the invalidation', async () => {
    const invalidation = await createInvalidation(
      gateway,
      { distributionId: plan.distributionId, paths: plan.paths, callerReference: plan.callerReference.value },
      deadline
    ).catch(async (error: unknown) => {
      throw error instanceof NoSuchDistributionError ? await withDistributionList(gateway, error) : error
    })
    // A new invalidation is created after this step started; one created before it (allowing for clock skew)
    // was made by an earlier try of this step with the same CallerReference.
    const createdAt = invalidation.createTime?.getTime()
    const reused =
      plan.callerReference.derived && createdAt !== undefined && createdAt < deadline.start - CLOCK_SKEW_MS
    core.info(
      `Invalidation ${invalidation.id}: ${invalidation.status}${reused ? ` (made at ${invalidation.createTime?.toISOString()} by an earlier try of this step: no second invalidation was made)` : ''}.`
    )
    core.info(invalidationConsoleUrl(plan.distributionId, invalidation.id))
    return {
      invalidationId: invalidation.id,
      status: invalidation.status,
      elapsedMs: deadline.elapsed(),
      reused
    }
  })
}

/** Adds the account's distributions to a NoSuchDistribution error, when they can be listed (read-only). */
async function withDistributionList(
  gateway: CloudFrontGateway,
  error: NoSuchDistributionError
): Promise<Error> {
  try {
    return unknownIdError(error, error.distributionId, await gateway.listDistributions())
  } catch (listError) {
    debug(`Could not list the distributions to help: ${String(listError)}`)
    return error
  }
}

/**
 * With `wait: true`, polls until Completed. A failed wait (e.g. the timeout) throws; the invalidation exists and
 * keeps running, and the report shows it as it stands (the timeout error carries its last status).
 */
async function waitIfAsked(
  gateway: CloudFrontGateway,
  plan: Plan,
  created: Outcome,
  deadline: Deadline
): Promise<Outcome> {
  if (!plan.wait || created.status === 'Completed') return created
  const done = await phase('Wait for CloudFront', () => {
    core.info(
      `Waiting until invalidation ${created.invalidationId} is Completed (at most ${formatDuration(deadline.remaining())} more).`
    )
    return waitForCompletion(
      gateway,
      plan.distributionId,
      { id: created.invalidationId, status: created.status },
      deadline,
      progressLogger(deadline, created.status)
    )
  })
  return { ...created, status: done.status, elapsedMs: deadline.elapsed() }
}

/** Logs a poll's status when it changed, else about every 30s, so a long wait stays short in the log. */
function progressLogger(deadline: Deadline, initial: string): (status: string) => void {
  let last = { status: initial, at: deadline.elapsed() }
  return status => {
    const at = deadline.elapsed()
    debug(`GetInvalidation after ${formatDuration(at)}: ${status}`)
    if (status === last.status && at - last.at < 30_000) return
    core.info(
      status === last.status
        ? `Still waiting for the invalidation to complete: ${formatDuration(at)} elapsed, ${formatDuration(deadline.remaining())} left; ${status}.`
        : `${formatDuration(at)}: ${status}`
    )
    last = { status, at }
  }
}
