import * as core from '@actions/core'
import { formatDuration } from '../common/inputs.js'
import { phase } from '../common/log.js'
import { Deadline, systemClock, type Clock } from '../common/retry.js'
import { CloudFrontGateway, invalidationConsoleUrl } from './cloudfront.js'
import { describeDistributions, findDistribution, noDistributionError } from './distribution.js'
import { readInputs, type Inputs } from './inputs.js'
import { createInvalidation, InvalidationTimeoutError, waitForCompletion } from './invalidation.js'
import { describePlan, makePlan, type Plan } from './plan.js'
import { setActionOutputs, summary, type Outcome } from './report.js'

export interface Dependencies {
  gateway: CloudFrontGateway
  clock: Clock
  env: NodeJS.ProcessEnv
}

/** inputs → resolve the distribution → plan → invalidate → wait → report. */
export async function run(deps: Partial<Dependencies> = {}): Promise<void> {
  const { gateway = new CloudFrontGateway(), clock = systemClock, env = process.env } = deps
  const inputs = readInputs()
  const deadline = new Deadline(inputs.timeoutMs, clock)
  const distribution = await resolveDistribution(gateway, inputs)
  const plan = makePlan(inputs, distribution, env)
  await phase('Plan', async () => describePlan(plan).forEach(line => core.info(line)))
  const outcome = await invalidate(gateway, plan, deadline)
  await report(plan, outcome)
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

async function invalidate(gateway: CloudFrontGateway, plan: Plan, deadline: Deadline): Promise<Outcome> {
  const started = deadline.clock.now()
  const created = await phase('Create the invalidation', async () => {
    const invalidation = await createInvalidation(
      gateway,
      { distributionId: plan.distributionId, paths: plan.paths, callerReference: plan.callerReference.value },
      deadline
    )
    const reused =
      plan.callerReference.derived &&
      invalidation.createTime !== undefined &&
      invalidation.createTime.getTime() < started - 30_000
    core.info(
      `Invalidation ${invalidation.id}: ${invalidation.status}${reused ? ` (made at ${invalidation.createTime?.toISOString()} by an earlier try of this step: no second invalidation was made)` : ''}.`
    )
    core.info(invalidationConsoleUrl(plan.distributionId, invalidation.id))
    return { invalidation, reused }
  })
  const outcome: Outcome = {
    invalidationId: created.invalidation.id,
    status: created.invalidation.status,
    elapsedMs: 0,
    reused: created.reused,
    waited: false
  }
  if (plan.wait && outcome.status !== 'Completed') {
    try {
      const done = await phase('Wait for CloudFront', () =>
        waitForCompletion(gateway, plan.distributionId, created.invalidation, deadline, status =>
          core.info(`${formatDuration(deadline.elapsed())}: ${status}`)
        )
      )
      outcome.status = done.status
      outcome.waited = true
    } catch (error) {
      if (error instanceof InvalidationTimeoutError) {
        // It exists and keeps running: later steps (if: always()) can still use the outputs.
        outcome.status = error.invalidation.status
        outcome.elapsedMs = deadline.clock.now() - started
        await report(plan, outcome)
      }
      throw error
    }
  }
  outcome.elapsedMs = deadline.clock.now() - started
  return outcome
}

async function report(plan: Plan, outcome: Outcome): Promise<void> {
  setActionOutputs(plan, outcome)
  await summary(plan, outcome).write()
  if (outcome.status === 'Completed') {
    core.info(`Invalidation ${outcome.invalidationId} on ${plan.distributionId}: Completed.`)
  }
}
