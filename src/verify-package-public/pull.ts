import * as core from '@actions/core'
import { UserError } from '../common/errors.js'
import { formatDuration } from '../common/inputs.js'
import { backoffDelay, type Deadline } from '../common/retry.js'
import type { ImageReference } from './reference.js'
import {
  checkAnonymousPull,
  ManifestNotFoundError,
  RegistryProtocolError,
  RegistryUnavailableError,
  type Fetch
} from './registry.js'
import type { PullVerdict } from './verdict.js'

/** Per-request timeout: enough for a slow registry, never the whole budget on one hung request. */
export function requestTimeout(deadline: Deadline): number {
  return Math.min(15_000, Math.max(5_000, deadline.remaining()))
}

/**
 * The anonymous pull check, retried while the registry catches up after a push: "not found", network faults,
 * 429 and 5xx are tried again with backoff until the deadline; a refused pull is final at once.
 */
export async function pullWithRetry(
  image: ImageReference,
  deadline: Deadline,
  http?: Fetch
): Promise<PullVerdict> {
  try {
    return await untilDeadline(
      deadline,
      () => checkAnonymousPull(image, { requestTimeoutMs: requestTimeout(deadline), fetch: http }),
      (error, attempt, delayMs) =>
        core.info(
          `Try ${attempt}: ${error instanceof ManifestNotFoundError ? `${image.display} not found yet` : (error as Error).message}; trying again in ${formatDuration(delayMs)} (${formatDuration(deadline.remaining())} left).`
        )
    )
  } catch (error) {
    if (error instanceof ManifestNotFoundError) {
      return { kind: 'not-found', detail: error.detail, waitedMs: deadline.elapsed() }
    }
    if (error instanceof RegistryUnavailableError) {
      throw new UserError(
        `Could not check ${image.display}: ${error.message} (kept trying for ${formatDuration(deadline.elapsed())}). Check the registry host in \`image\`, or raise \`timeout\` if the registry is slow.`,
        { title: 'Registry unreachable', cause: error }
      )
    }
    if (error instanceof RegistryProtocolError) {
      throw new UserError(`Could not check ${image.display}: ${error.message}`, {
        title: 'Registry answered unexpectedly',
        cause: error
      })
    }
    throw error
  }
}

const BACKOFF = { baseMs: 1_000, maxMs: 8_000 }

const retryable = (error: unknown) =>
  error instanceof ManifestNotFoundError || error instanceof RegistryUnavailableError

/**
 * Tries until success, a final answer or the deadline: the whole budget is used (the last wait is cut to
 * what is left, then one more try), so "not found" means "not found once the timeout was spent".
 */
async function untilDeadline<T>(
  deadline: Deadline,
  fn: () => Promise<T>,
  onRetry: (error: unknown, attempt: number, delayMs: number) => void
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      if (!retryable(error) || deadline.expired()) throw error
      const delay = Math.min(backoffDelay(attempt, BACKOFF), deadline.remaining())
      onRetry(error, attempt, delay)
      await deadline.sleep(delay)
    }
  }
}
