import { formatDuration } from '../common/format.js'
import type { NoAnswer } from './http.js'

/** What a network error means for a probe, in plain words, and whether waiting can help. Pure. */

const TLS_CODES =
  /^(CERT_|ERR_TLS_|UNABLE_TO_(GET|VERIFY)|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_|HOSTNAME_MISMATCH)/

/**
 * A network error in plain words, and whether waiting can help. fetch wraps the system error as its `cause`
 * ("fetch failed" says nothing); an aborted request is our time limit.
 */
export function describeNetworkError(
  error: unknown,
  context: { url: string; timeoutMs: number; timedOut: boolean }
): Pick<NoAnswer, 'reason' | 'code' | 'timedOut' | 'fatal'> {
  const host = safeHost(context.url)
  if (context.timedOut) {
    return {
      reason: `the request timed out after ${formatDuration(context.timeoutMs)}`,
      timedOut: true,
      fatal: false
    }
  }
  const cause = errorChain(error).find(e => typeof (e as { code?: unknown }).code === 'string') as
    (Error & { code: string }) | undefined
  const code = cause?.code
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error))
  if (code === undefined) return { reason: message, timedOut: false, fatal: false }
  if (TLS_CODES.test(code)) {
    return {
      reason: `the TLS certificate of ${host} is not valid: ${message}`,
      code,
      timedOut: false,
      fatal: true
    }
  }
  const plain: Record<string, string> = {
    ECONNREFUSED: `connection refused by ${host} (nothing listens there yet)`,
    ECONNRESET: `the connection to ${host} was reset`,
    EPIPE: `the connection to ${host} was closed`,
    ENOTFOUND: `the name ${host} does not resolve (DNS)`,
    EAI_AGAIN: `the name ${host} could not be resolved just now (DNS)`,
    EHOSTUNREACH: `${host} is unreachable`,
    ENETUNREACH: `the network to ${host} is unreachable`,
    ETIMEDOUT: `the connection to ${host} timed out`,
    UND_ERR_CONNECT_TIMEOUT: `the connection to ${host} timed out`,
    UND_ERR_SOCKET: `the connection to ${host} was closed before the answer was complete`,
    UND_ERR_HEADERS_TIMEOUT: `${host} accepted the connection but sent no headers`,
    UND_ERR_BODY_TIMEOUT: `${host} stopped sending the body`
  }
  return { reason: plain[code] ?? `${message} (${code})`, code, timedOut: false, fatal: false }
}

function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 5;) {
    chain.push(e)
    e = (e as { cause?: unknown }).cause
  }
  return chain
}

function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
