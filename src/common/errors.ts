/**
 * The one error type for "the user must fix something": it names the input, the bad value and the
 * expected form or the fix. Everything else is either an AWS error (shown with its code and message) or a bug.
 */
export class UserError extends Error {
  override readonly name = 'UserError'
  /** The action input at fault, when there is one (e.g. `environment-name`). */
  readonly input?: string
  /** A short title for the annotation. */
  readonly title: string
  /**
   * What to do about it, when it is not already in the message: the annotation shows the message then the fix,
   * the job summary shows them apart (**Why**, **What to do**).
   */
  readonly fix?: string

  constructor(
    message: string,
    options: { input?: string; title?: string; cause?: unknown; fix?: string } = {}
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.input = options.input
    this.fix = options.fix
    this.title = options.title ?? (options.input ? `Input '${options.input}'` : 'Deployment stopped')
  }
}

/**
 * The step's `timeout` is reached, or would be before the work could go on (e.g. the next request could only be
 * sent after it): a UserError on the input `timeout`, which `explain` reports as a timeout. (Named UserError: a
 * name with "TimeoutError" in it would be taken for a transient network fault by the SDK and our retry rules.)
 */
export class DeadlineReached extends UserError {
  constructor(message: string) {
    super(message, { input: 'timeout', title: 'Timeout reached' })
  }
}

/** An error for one input: `Input 'timeout' is "abc": expected a duration such as 90s, 15m, 1h or seconds.` */
export function inputError(input: string, value: string, expected: string): UserError {
  const shown = value === '' ? 'empty' : `"${value.length > 200 ? value.slice(0, 200) + '…' : value}"`
  return new UserError(`Input '${input}' is ${shown}: ${expected}`, { input })
}

/** The parts of an AWS SDK v3 service exception that we show users. */
export interface AwsErrorInfo {
  code: string
  message: string
  httpStatus?: number
  requestId?: string
}

/** Recognises AWS SDK v3 service exceptions without importing any client. */
export function awsErrorInfo(error: unknown): AwsErrorInfo | undefined {
  // ours, never AWS's, even when thrown inside an SDK call (whose retry loop adds `$metadata` to any error)
  if (!(error instanceof Error) || error instanceof UserError) return undefined
  const meta = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata
  const fault = (error as { $fault?: string }).$fault
  if (meta === undefined && fault === undefined) return undefined
  const code = (error as { Code?: string }).Code ?? error.name
  return { code, message: error.message, httpStatus: meta?.httpStatusCode, requestId: meta?.requestId }
}

/** True when an AWS error has this code (SDK v3 puts the code in `name`). */
export function isAwsError(error: unknown, ...codes: string[]): boolean {
  const info = awsErrorInfo(error)
  return info !== undefined && codes.includes(info.code)
}

/** Permissions hints for AccessDenied-style errors: the action the caller must allow. */
export function describeError(error: unknown): string {
  const aws = awsErrorInfo(error)
  if (aws) {
    const parts = [`${aws.code}: ${aws.message}`]
    if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(aws.code)) {
      parts.push(
        'The role this job assumed is missing a permission; see docs/aws-setup.md for the least-privilege policy.'
      )
    }
    if (/ExpiredToken|InvalidClientTokenId|CredentialsProviderError|UnrecognizedClient/i.test(aws.code)) {
      parts.push(
        'Check the credentials step (aws-actions/configure-aws-credentials) that runs before this one.'
      )
    }
    return parts.join(' ')
  }
  if (error instanceof Error) {
    if (error.name === 'CredentialsProviderError') {
      return `${error.message}. No AWS credentials were found: add aws-actions/configure-aws-credentials (OIDC) before this step.`
    }
    return error.message
  }
  return String(error)
}
