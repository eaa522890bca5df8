import { awsErrorInfo } from '../errors.js'

/**
 * Faults worth another try later: throttling, 5xx and connection faults (what outlived the SDK's own retries).
 * Anything else (a refusal, a missing resource, a bug) is final.
 */
export function isTransient(error: unknown): boolean {
  const info = awsErrorInfo(error)
  if (info) {
    if (isThrottling(error)) return true
    if (/ServiceUnavailable|InternalFailure|InternalError|SlowDown/i.test(info.code)) return true
    return (info.httpStatus ?? 0) >= 500 || (error as { $fault?: string }).$fault === 'server'
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    return (
      /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN/.test(code) ||
      /socket hang up|TimeoutError/i.test(`${error.name} ${error.message}`)
    )
  }
  return false
}

/** An AWS throttling error (the account's request rate is used up): back off, then recover after success. */
export function isThrottling(error: unknown): boolean {
  const info = awsErrorInfo(error)
  return info !== undefined && /Throttl|RequestLimitExceeded|TooManyRequests/i.test(info.code)
}
