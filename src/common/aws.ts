import { inspect } from 'node:util'
import { OutcomeUnknownError, isUnreadableResponse, outcomeUnknown } from './failure.js'
import { ClockRetryStrategy, type Clock } from './retry.js'
import { scrub } from './secrets.js'
import { debug } from './log.js'

/**
 * The configuration every AWS client of ours is made with. Credentials come from the SDK's default chain
 * only (OIDC through aws-actions/configure-aws-credentials, or the environment); endpoints from the SDK's own
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>. Transient faults (throttling, 5xx, resets, timeouts) are
 * retried by the SDK in adaptive mode, which also slows down on throttling.
 */
export function awsClientConfig(region: string, options: { maxAttempts?: number; clock?: Clock } = {}) {
  const maxAttempts = options.maxAttempts ?? 8
  return {
    region,
    maxAttempts,
    // with a clock, the SDK's retry waits run on it (the actions' injected clock: tests never sleep)
    ...(options.clock
      ? { retryStrategy: new ClockRetryStrategy(maxAttempts, options.clock) }
      : { retryMode: 'adaptive' as const }),
    customUserAgent: 'imbit-actions/1',
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
    logger: {
      trace: () => undefined,
      debug: (...content: unknown[]) => debug(sdkLine(content)),
      info: () => undefined,
      warn: (...content: unknown[]) => debug(`aws-sdk warn: ${sdkLine(content)}`),
      error: (...content: unknown[]) => debug(`aws-sdk error: ${sdkLine(content)}`)
    }
  }
}

/**
 * SDK log content as readable text (objects inspected, not `[object Object]`), secrets scrubbed. A request's
 * `input` is left out: it can hold values the user keeps secret (environment properties in OptionSettings).
 */
function sdkLine(content: unknown[]): string {
  return scrub(
    content
      .map(item =>
        typeof item === 'string' ? item : inspect(withoutInput(item), { depth: 3, breakLength: Infinity })
      )
      .join(' ')
  )
}

function withoutInput(item: unknown): unknown {
  if (item === null || typeof item !== 'object' || !('input' in item)) return item
  return { ...item, input: '(request parameters not logged)' }
}

/** The option namespace of a Beanstalk environment's properties (what the app reads as environment variables). */
export const ENVIRONMENT_NAMESPACE = 'aws:elasticbeanstalk:application:environment'

/** A console link for a Beanstalk environment. */
export function beanstalkConsoleUrl(
  region: string,
  environmentId: string | undefined,
  applicationName: string
): string {
  const base = `https://${region}.console.aws.amazon.com/elasticbeanstalk/home?region=${region}`
  return environmentId
    ? `${base}#/environment/dashboard?environmentId=${encodeURIComponent(environmentId)}`
    : `${base}#/application/overview?applicationName=${encodeURIComponent(applicationName)}`
}

/** Shared by every AWS client of ours: what `instrument` does per request sent (each SDK retry included). */
export interface InstrumentOptions {
  /** The IAM service prefix, for naming a missing permission (`elasticbeanstalk`, `cloudfront`, `s3`). */
  service: string
  /**
   * Called before every request is sent (first try and each SDK retry); may wait (a call budget). What it returns
   * (a budget's slot) is handed to `afterReply` for that request.
   */
  beforeSend?: (operation: string, attempt: number) => Promise<number | void> | number | void
  /** Whether a request of this operation may be retried when its response cannot be read (read calls). */
  retryUnreadable?: (operation: string) => boolean
  /**
   * Mutating calls that must not be sent twice blindly (UpdateEnvironment, CreateApplicationVersion): when the
   * reply is lost they fail with an OutcomeUnknownError, not an SDK retry, and the caller checks what happened.
   */
  unsafeToRepeat?: (operation: string) => boolean
  /**
   * Called after every attempt's answer (with its error, if any, and what `beforeSend` returned for it): the
   * adaptive pace (a call budget), which gives a throttled request's slot back.
   */
  afterReply?: (operation: string, error?: unknown, slot?: number) => void
}

/** `Describe*`, `Get*`, `List*`, `Head*`: calls that change nothing, safe to repeat. */
export function isReadOperation(operation: string): boolean {
  return /^(Describe|Get|List|Head)/.test(operation)
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { request?: unknown }) => Promise<unknown>,
        context: { commandName?: string }
      ) => (args: { request?: unknown }) => Promise<unknown>,
      options: { step: 'deserialize'; name: string; priority: 'high'; override: boolean }
    ): void
  }
}

/** The attempt number the SDK's retry middleware wrote into the request (`amz-sdk-request: attempt=2; max=8`). */
function attemptOf(request: unknown): number {
  const headers = (request as { headers?: Record<string, string> } | undefined)?.headers ?? {}
  const m = /attempt=(\d+)/.exec(headers['amz-sdk-request'] ?? '')
  return m ? Number(m[1]) : 1
}

/**
 * Adds one middleware inside the SDK's retry loop, so it sees every request sent: it calls `beforeSend` (the
 * call budget counts SDK retries too), tags errors with their operation and service (`explain` names the
 * missing IAM action and the failed call), and marks an unreadable response to a read call as retryable, so
 * the SDK tries it again like a 5xx.
 */
export function instrument<C>(client: C, options: InstrumentOptions): C {
  const stack = (client as unknown as Partial<MiddlewareClient>).middlewareStack
  if (!stack) return client
  stack.add(
    (next, context) => async args => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '')
      const slot = (await options.beforeSend?.(operation, attemptOf(args.request))) ?? undefined
      try {
        const out = await next(args)
        options.afterReply?.(operation, undefined, slot)
        return out
      } catch (error) {
        options.afterReply?.(operation, error, slot)
        if (error !== null && typeof error === 'object') {
          const tags = { $operation: operation, $service: options.service }
          for (const [key, value] of Object.entries(tags)) {
            if (!(key in error)) Object.defineProperty(error, key, { value, enumerable: false })
          }
          if (options.unsafeToRepeat?.(operation) && outcomeUnknown(error)) {
            throw new OutcomeUnknownError(operation, error)
          }
          const retry = options.retryUnreadable ?? isReadOperation
          if (isUnreadableResponse(error) && retry(operation) && !('$retryable' in error)) {
            Object.assign(error, { $retryable: {} })
          }
        }
        throw error
      }
    },
    // a client shared by several gateways (tests) is instrumented for the last one
    { step: 'deserialize', name: 'imbitInstrument', priority: 'high', override: true }
  )
  return client
}
