import { UserError, awsErrorInfo } from './errors.js'

/**
 * What the user reads when a step fails: a title and a message in plain words, with the fix, for every kind of
 * failure we know (a UserError, missing or rejected credentials, a missing IAM permission, an endpoint that
 * cannot be reached, a response that cannot be read, any other AWS error). SDK internals (stack, raw error)
 * go to `debug` only. "Unexpected error" is kept for our own bugs. Pure.
 */
export interface Explained {
  title: string
  /** The annotation's text: what went wrong, then the fix. */
  message: string
  /** What went wrong, without the fix (the summary's **Why**). */
  reason: string
  /** What to do about it, when known (the summary's **What to do**). */
  fix?: string
  /** Detail for the debug log only (stack, the raw error). */
  debug: string[]
  /** What kind of failure it was, for the job summary and tests. */
  kind:
    | 'input'
    | 'timeout'
    | 'credentials'
    | 'access-denied'
    | 'unreachable'
    | 'unreadable-response'
    | 'throttled'
    | 'aws'
    | 'unexpected'
}

const CREDENTIALS_FIX =
  'Add aws-actions/configure-aws-credentials (OIDC: role-to-assume, with `permissions: id-token: write`) before this step, or check that its role session has not expired; see docs/aws-setup.md.'

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT'
])

const NETWORK_CAUSE: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the connection was closed while sending',
  ECONNABORTED: 'the connection was aborted',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out'
}

/**
 * A mutating call whose reply never came (reset, timeout, 5xx, unreadable body): it may have taken effect.
 * Raised by our client middleware instead of the SDK's own retry, so that the caller checks before sending it
 * again. Deliberately without `code`, `$metadata` or `cause`, which would make the SDK retry it.
 */
export class OutcomeUnknownError extends Error {
  override readonly name = 'OutcomeUnknownError'
  constructor(
    readonly operation: string,
    readonly original: unknown
  ) {
    super(
      `${operation} was sent but its reply was lost (${original instanceof Error ? original.message : String(original)}): whether it took effect is not known.`
    )
  }
}

/** Whether a failed request may have reached AWS and taken effect (as opposed to refused or never sent). */
export function outcomeUnknown(error: unknown): boolean {
  if (isUnreadableResponse(error)) return true
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode
  if (status !== undefined && status >= 500) return true
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^(ECONNRESET|EPIPE|ETIMEDOUT|ECONNABORTED)$/.test(code)) return true
    if (
      /TimeoutError|socket hang up|\bECONNRESET\b|\bEPIPE\b/i.test(
        `${(e as Error).name} ${(e as Error).message}`
      )
    )
      return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

/** The AWS operation an error came from, when our client middleware tagged it (`UpdateEnvironment`). */
export function operationOf(error: unknown): string | undefined {
  const op = (error as { $operation?: unknown } | null)?.$operation
  return typeof op === 'string' ? op : undefined
}

/** The service prefix for IAM actions, from the SDK client name. */
function servicePrefix(error: unknown): string | undefined {
  const service = (error as { $service?: unknown } | null)?.$service
  return typeof service === 'string' ? service : undefined
}

function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code
    if ((e as { name?: string }).name === 'TimeoutError') return 'ETIMEDOUT'
    // the SDK wraps errors it does not recognise ("AWS SDK error wrapper for Error: connect ECONNREFUSED …")
    const named = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b/.exec(
      String((e as { message?: unknown }).message ?? '')
    )
    if (named) return named[1]
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

function hostOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const { address, port, hostname } = e as { address?: string; port?: number; hostname?: string }
    if (hostname) return port ? `${hostname}:${port}` : hostname
    if (address) return port ? `${address}:${port}` : address
    const m = /(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH)\s+(\S+)/.exec(
      String((e as Error).message)
    )
    if (m) return m[1]
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/** True for an SDK error raised while reading a response body (truncated or malformed XML/JSON). */
export function isUnreadableResponse(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  // AWS's own error answers (AccessDenied…) are service exceptions with a `$fault`; a body that could not be
  // parsed at all is not
  if ('$fault' in error) return false
  return (
    '$response' in error ||
    /Deserialization error|Unexpected end of|not well-formed|Expected closing tag|Invalid XML|is not valid JSON/i.test(
      error.message
    )
  )
}

const CREDENTIAL_CODES =
  /^(ExpiredToken|ExpiredTokenException|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|InvalidAccessKeyId|InvalidToken|IncompleteSignature|MissingAuthenticationToken)$/

function rawDebug(error: unknown): string[] {
  const lines: string[] = []
  if (error instanceof Error) {
    lines.push(`${error.name}: ${error.message}`)
    if (error.stack) lines.push(error.stack)
  } else lines.push(String(error))
  return lines
}

/** The explanation of any error that ends a step. */
export function explain(error: unknown): Explained {
  if (error instanceof UserError) {
    // the step's `timeout` ran out (a UserError on that input: the fix is to raise it, or the cause it names)
    const kind = error.input === 'timeout' ? 'timeout' : 'input'
    return explained(error.title, error.message, error.fix, [], kind)
  }
  const op = operationOf(error)
  const what = op ? `${op}` : 'an AWS call'
  const debug = rawDebug(error)
  const info = awsErrorInfo(error)
  const name = error instanceof Error ? error.name : ''
  if (
    name === 'CredentialsProviderError' ||
    /Could not load credentials/i.test(String((error as Error)?.message))
  ) {
    return explained(
      'AWS credentials missing',
      `No AWS credentials were found for ${what}.`,
      CREDENTIALS_FIX,
      debug,
      'credentials'
    )
  }
  if (info && CREDENTIAL_CODES.test(info.code)) {
    const expired = /Expired/i.test(info.code) || /expired/i.test(info.message)
    return explained(
      expired ? 'AWS credentials expired' : 'AWS credentials rejected',
      `AWS refused the credentials of this job for ${what} (${info.code}: ${info.message}).`,
      CREDENTIALS_FIX,
      debug,
      'credentials'
    )
  }
  if (info && /AccessDenied|UnauthorizedOperation|NotAuthorized|AuthorizationError/i.test(info.code)) {
    const named = /perform:\s*([a-z0-9-]+:[A-Za-z0-9]+)/.exec(info.message)?.[1]
    const action = named ?? (op && servicePrefix(error) ? `${servicePrefix(error)}:${op}` : undefined)
    return explained(
      'AWS permission missing',
      `The role this job assumed may not ${action ? `call ${action}` : `make ${what}`} (${info.code}: ${info.message}).`,
      `Add ${action ?? 'that action'} to the role's policy: see docs/aws-setup.md and docs/iam/deploy-policy.json for the least-privilege policy.`,
      debug,
      'access-denied'
    )
  }
  if (error instanceof OutcomeUnknownError) {
    return explained(
      'AWS reply lost',
      error.message,
      'Check the resource in the AWS console before running the step again.',
      [...debug, ...rawDebug(error.original)],
      'unreachable'
    )
  }
  const net = networkCode(error)
  if (net) {
    const host = hostOf(error)
    return explained(
      'AWS endpoint unreachable',
      `Could not reach ${host ?? 'the AWS endpoint'} for ${what}: ${NETWORK_CAUSE[net] ?? net} (${net}), also after retries.`,
      "Check the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY), the region, and AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> if set.",
      debug,
      'unreachable'
    )
  }
  if (isUnreadableResponse(error)) {
    const status =
      info?.httpStatus ?? (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
    return explained(
      'Unreadable AWS response',
      `AWS answered ${what} with a response that could not be read${status ? ` (HTTP ${status})` : ''}, also after retries.`,
      'This is usually a passing fault of AWS or of a proxy on the way: run the step again.',
      debug,
      'unreadable-response'
    )
  }
  if (info && /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(info.code)) {
    return explained(
      'AWS throttling',
      `AWS kept throttling ${what} (${info.code}: ${info.message}), also after retries.`,
      'Other jobs or tools of this account share its request rate: run the step again later.',
      debug,
      'throttled'
    )
  }
  if (info) {
    const server = info.httpStatus !== undefined && info.httpStatus >= 500
    return explained(
      `AWS error ${info.code}`,
      `${op ? `${op} failed: ` : ''}${info.code}: ${info.message}${server ? ' (an error on the AWS side that persisted through retries: run the step again later)' : ''}`,
      undefined,
      debug,
      'aws'
    )
  }
  return explained(
    'Unexpected error',
    `${error instanceof Error ? error.message : String(error)} (this is a bug of the action: please report it with the debug log)`,
    undefined,
    debug,
    'unexpected'
  )
}

/** An explanation whose annotation is the reason, then the fix. */
function explained(
  title: string,
  reason: string,
  fix: string | undefined,
  debug: string[],
  kind: Explained['kind']
): Explained {
  return { title, message: fix ? `${reason} ${fix}` : reason, reason, fix, debug, kind }
}
