import { createHash, randomBytes } from 'node:crypto'

/**
 * The CallerReference of an invalidation. CloudFront answers a second CreateInvalidation with the same
 * reference and the same paths with the invalidation it already made, instead of making another one.
 *
 * In GitHub Actions the reference is derived from the run, so the same step tried again within the same run
 * attempt (a retry wrapper, a step that failed after CloudFront had already accepted the request) gets the
 * same invalidation back. It is made of:
 * - GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT: "Re-run jobs" is a new attempt, i.e. a new deploy, and it gets a
 *   new invalidation;
 * - GITHUB_JOB and GITHUB_ACTION (the step), so two invalidation steps of one run are told apart;
 * - the distribution id and the exact paths sent (hashed), so different paths never collide (which CloudFront
 *   would refuse with InvalidationBatchAlreadyExists).
 * Outside Actions (no GITHUB_RUN_ID) the reference is unique: time plus randomness.
 */
export interface CallerReference {
  value: string
  /** True when derived from the run (repeatable), false when unique. */
  derived: boolean
}

export function callerReference(
  distributionId: string,
  paths: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  unique: () => string = () => `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`
): CallerReference {
  const runId = env.GITHUB_RUN_ID?.trim()
  if (!runId) return { value: `imbit-local-${unique()}`, derived: false }
  const attempt = env.GITHUB_RUN_ATTEMPT?.trim() || '1'
  const hash = createHash('sha256')
    .update(
      JSON.stringify([
        env.GITHUB_REPOSITORY ?? '',
        env.GITHUB_JOB ?? '',
        env.GITHUB_ACTION ?? '',
        distributionId,
        paths
      ])
    )
    .digest('hex')
    .slice(0, 20)
  return { value: `imbit-${runId}-${attempt}-${hash}`, derived: true }
}
