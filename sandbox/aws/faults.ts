/**
 * Fault injection: decides, per eligible call, whether it is throttled, answered 5xx, reset, or delayed.
 * Randomness is seeded (mulberry32) so a scenario behaves the same on every run.
 */
import type { FaultSpec } from './types.js'

export type FaultKind = 'throttle' | '5xx' | 'reset'

/** Faults that act after the call took effect, or on its reply. */
export type ReplyFault = 'lost-reply' | 'malformed'

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Faults {
  private spec: FaultSpec | undefined
  private random: () => number = Math.random
  private eligibleCalls = 0
  private readonly replyFaults = new Map<string, number>()

  constructor(spec?: FaultSpec) {
    this.set(spec)
  }

  set(spec: FaultSpec | undefined): void {
    this.spec = spec
    this.eligibleCalls = 0
    this.replyFaults.clear()
    this.random = mulberry32(spec?.seed ?? 1)
  }

  /** Whether faults apply to this operation (S3 and STS are exempt unless named). */
  applies(operation: string, service: string): boolean {
    if (!this.spec) return false
    if (this.spec.operations) return this.spec.operations.includes(operation)
    return service === 'elasticbeanstalk' || service === 'cloudfront'
  }

  delayMs(operation: string, service: string): number {
    return this.applies(operation, service) ? (this.spec?.delayMs ?? 0) : 0
  }

  /** The fault for this call, if any; each call draws from the same seeded sequence. */
  decide(operation: string, service: string): FaultKind | undefined {
    const spec = this.spec
    if (!spec || !this.applies(operation, service)) return undefined
    this.eligibleCalls += 1
    if (spec.throttleFirst !== undefined && this.eligibleCalls <= spec.throttleFirst) return 'throttle'
    const roll = this.random()
    let edge = spec.resetRate ?? 0
    if (roll < edge) return 'reset'
    edge += spec.throttleRate ?? 0
    if (roll < edge) return 'throttle'
    edge += spec.serverErrorRate ?? 0
    if (roll < edge) return '5xx'
    return undefined
  }

  /** Whether this call's reply is lost (after its effect) or malformed; each spec counts its own calls. */
  replyFault(operation: string): ReplyFault | undefined {
    const spec = this.spec
    if (!spec) return undefined
    for (const [kind, rule] of [
      ['lost-reply', spec.lostReplies],
      ['malformed', spec.malformed]
    ] as const) {
      if (!rule || !rule.operations.includes(operation)) continue
      const used = this.replyFaults.get(`${kind}:${operation}`) ?? 0
      if (used >= (rule.count ?? 1)) continue
      this.replyFaults.set(`${kind}:${operation}`, used + 1)
      return kind
    }
    return undefined
  }

  /** Whether this operation is refused with an AccessDenied that echoes the request. */
  echoes(operation: string): boolean {
    return this.spec?.echoRequest?.operations.includes(operation) ?? false
  }

  /** Whether this call comes after the session expired (expireAfter): counted per operation. */
  expired(operation: string): boolean {
    const rule = this.spec?.expireAfter
    if (!rule || !rule.operations.includes(operation)) return false
    const used = this.replyFaults.get(`expire:${operation}`) ?? 0
    this.replyFaults.set(`expire:${operation}`, used + 1)
    return used >= rule.after
  }

  /** 500 InternalFailure or 503 ServiceUnavailable, alternating by draw. */
  serverError(): { status: number; code: string; message: string } {
    return this.random() < 0.5
      ? {
          status: 500,
          code: 'InternalFailure',
          message: 'The request processing has failed because of an unknown error, exception or failure.'
        }
      : {
          status: 503,
          code: 'ServiceUnavailable',
          message: 'The request has failed due to a temporary failure of the server.'
        }
  }
}
