import * as core from '@actions/core'
import { UserError } from '../common/errors.js'
import { formatDuration } from '../common/format.js'
import { requestTimeout, retry, type Deadline } from '../common/retry.js'
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
export const REQUEST_TIMEOUT = { maxMs: 15_000, minMs: 5_000 }

/** Between tries while the registry catches up: 1 s, 2 s, 4 s, then 8 s (with jitter). */
const BACKOFF = { baseMs: 1_000, maxMs: 8_000 }

/** "Not found" (a push still settling), network faults, 429 and 5xx; a refused pull is final. */
const retryable = (error: unknown) =>
  error instanceof ManifestNotFoundError || error instanceof RegistryUnavailableError

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
    return await retry(
      () =>
        checkAnonymousPull(image, {
          requestTimeoutMs: requestTimeout(deadline.remaining(), REQUEST_TIMEOUT),
          fetch: http,
          readPlatforms: true
        }),
      {
        ...BACKOFF,
        deadline,
        retryable,
        onRetry: (error, attempt, delayMs) =>
          core.info(
            `Try ${attempt}: ${error instanceof ManifestNotFoundError ? `${image.display} not found yet` : (error as Error).message}; trying again in ${formatDuration(delayMs)} (${formatDuration(deadline.remaining())} left).`
          )
      }
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
