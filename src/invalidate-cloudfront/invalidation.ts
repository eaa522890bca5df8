import * as core from '@actions/core'
import { UserError, awsErrorInfo, isAwsError } from '../common/errors.js'
import { formatDuration } from '../common/format.js'
import { backoffDelay, Deadline, poll, retry } from '../common/retry.js'
import { invalidationConsoleUrl, type CloudFrontGateway, type InvalidationInfo } from './cloudfront.js'
import { MAX_PATHS, MAX_WILDCARD_PATHS } from './paths.js'

/**
 * Carrying out the plan: create the invalidation (waiting out TooManyInvalidationsInProgress within the
 * timeout), then wait until CloudFront reports it Completed (within the same timeout).
 */

export type Gateway = Pick<CloudFrontGateway, 'createInvalidation' | 'getInvalidation'>

export interface InvalidationRequest {
  distributionId: string
  paths: readonly string[]
  callerReference: string
}

/** Backoff while CloudFront is busy with other invalidations of the distribution. */
export const BUSY_BACKOFF = { baseMs: 5_000, maxMs: 60_000, factor: 2, jitter: 0.5 }

/** Polling GetInvalidation: starts quick, slows down (most invalidations take seconds to a few minutes). */
export const POLL_BACKOFF = { baseMs: 2_000, maxMs: 20_000, factor: 1.5, jitter: 0 }

/** The delay after poll round `round`: 2 s, 3 s, 4.5 s … up to 20 s. */
export function pollDelay(round: number): number {
  return backoffDelay(round, POLL_BACKOFF)
}

export async function createInvalidation(
  gateway: Gateway,
  request: InvalidationRequest,
  deadline: Deadline,
  random: () => number = Math.random
): Promise<InvalidationInfo> {
  const { distributionId, paths, callerReference } = request
  try {
    return await retry(() => gateway.createInvalidation(distributionId, paths, callerReference), {
      ...BUSY_BACKOFF,
      deadline,
      random,
      retryable: error => isAwsError(error, 'TooManyInvalidationsInProgress'),
      onRetry: (error, attempt, delayMs) => {
        core.info(
          `CloudFront is busy with other invalidations of ${distributionId} (${awsErrorInfo(error)?.code}: ${awsErrorInfo(error)?.message}); ` +
            `trying again in ${formatDuration(delayMs)} (attempt ${attempt + 1}, ${formatDuration(deadline.remaining())} left of the ${formatDuration(deadline.budgetMs)} timeout).`
        )
      }
    })
  } catch (error) {
    const info = awsErrorInfo(error)
    if (info?.code === 'TooManyInvalidationsInProgress') {
      throw new UserError(
        `${info.code}: ${info.message} Distribution ${distributionId} still had too many invalidations in progress after waiting ${formatDuration(deadline.elapsed())} (the \`timeout\`). ` +
          `CloudFront allows ${MAX_PATHS.toLocaleString('en-US')} file paths and ${MAX_WILDCARD_PATHS} wildcard paths in progress per distribution. ` +
          `Let the running ones finish (${invalidationConsoleUrl(distributionId)}) and re-run, or raise \`timeout\`. Nothing was invalidated by this step.`,
        { title: 'CloudFront busy', input: 'timeout', cause: error }
      )
    }
    if (info?.code === 'NoSuchDistribution') {
      throw new NoSuchDistributionError(
        `${info.code}: ${info.message} No distribution "${distributionId}" is visible to the AWS account of this job's role. Check \`distribution-id\` (copy it from the CloudFront console), or give \`domain\` instead to look it up by its alternate domain name.`,
        distributionId,
        error
      )
    }
    if (info?.code === 'InvalidationBatchAlreadyExists') {
      throw new UserError(
        `${info.code}: ${info.message} CallerReference "${callerReference}" was already used on ${distributionId} with different paths. ` +
          'This action derives it from the run id, run attempt, job, step, distribution and paths, so this reference was made by something else (another tool, or a copy of this step with the same id in the same job). ' +
          'Re-run the workflow (a new run attempt makes a new reference), or give the other step a different id.',
        { title: 'AWS error InvalidationBatchAlreadyExists', cause: error }
      )
    }
    throw error
  }
}

/** Polls GetInvalidation until Completed; on timeout, a UserError saying it is still running, with its id. */
export async function waitForCompletion(
  gateway: Gateway,
  distributionId: string,
  invalidation: InvalidationInfo,
  deadline: Deadline,
  onStatus: (status: string) => void = () => undefined
): Promise<InvalidationInfo> {
  let latest = invalidation
  if (latest.status === 'Completed') return latest
  const done = await poll<InvalidationInfo>(
    async round => {
      // Round 1 uses CreateInvalidation's answer (it is seconds old), unless the time is already up.
      if (round > 1 || deadline.expired()) {
        latest = await gateway.getInvalidation(distributionId, invalidation.id)
        onStatus(latest.status)
      }
      if (latest.status === 'Completed') return { done: true, value: latest }
      return { done: false, delayMs: pollDelay(round) }
    },
    { deadline }
  )
  if (done) return done
  throw new InvalidationTimeoutError(
    `Invalidation ${invalidation.id} on ${distributionId} is still ${latest.status} after ${formatDuration(deadline.elapsed())} (the \`timeout\` of ${formatDuration(deadline.budgetMs)}). ` +
      `CloudFront keeps working on it and it will complete on its own: ${invalidationConsoleUrl(distributionId, invalidation.id)} . ` +
      'Raise `timeout` to wait longer, or set `wait: false` not to wait.',
    latest
  )
}

/** The wait ran out: the invalidation exists and is still running. */
export class InvalidationTimeoutError extends UserError {
  constructor(
    message: string,
    readonly invalidation: InvalidationInfo
  ) {
    super(message, { title: 'Invalidation still running', input: 'timeout' })
  }
}

/** CloudFront does not know the distribution id (nothing was created). */
export class NoSuchDistributionError extends UserError {
  constructor(
    message: string,
    readonly distributionId: string,
    cause?: unknown
  ) {
    super(message, { title: 'AWS error NoSuchDistribution', input: 'distribution-id', cause })
  }
}
