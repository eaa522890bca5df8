import { debug } from '../log.js'
import { describeError } from '../errors.js'
import { Heartbeat } from '../heartbeat.js'
import { Deadline, isTransient, poll, type Clock } from '../retry.js'
import { isLoopbackHost } from '../url.js'
import type { TailAnswer, TailCalls } from './calls.js'
import { parseTail, type InstanceLogs } from './tail.js'

/**
 * Getting the instances' tail logs: RequestEnvironmentInfo `tail`, then RetrieveEnvironmentInfo every
 * ANSWERS_EVERY_MS (each request within the step's call budget; a heartbeat while it lasts) until every instance has answered, then each
 * answer's pre-signed S3 URL downloaded. Bounded: LOGS_BUDGET_MS for all of it, on the injected clock.
 */

/** The longest the logs may take, request, answers and downloads together. */
export const LOGS_BUDGET_MS = 60_000
/** The most of one instance's tail that is read (Beanstalk's tail is about 100 lines a file; this is ample). */
export const MAX_TAIL_BYTES = 2 * 1024 * 1024
/**
 * How often RetrieveEnvironmentInfo is asked while instances answer (a tail takes Beanstalk a few seconds). Each
 * request still waits for a slot of the step's call budget (aws/beanstalk.ts), which the follow may have used.
 */
export const ANSWERS_EVERY_MS = 2_000
/** Beanstalk's clock and ours may differ a little: answers sampled this much before our request still count. */
const CLOCK_MARGIN_MS = 5_000

/** An action's Beanstalk gateway: its tail calls, and `within` (no request waits for a budget slot past a deadline). */
export interface TailSource {
  readonly info: TailCalls
  within<T>(deadline: Deadline, work: () => Promise<T>): Promise<T>
}

/** Why no logs came back: said in one warning line. */
export class NoLogsError extends Error {
  override readonly name = 'NoLogsError'
}

/**
 * The answers of this request (sampled after it), one per instance (the newest), once complete: when a round
 * brings no instance the round before had not, every instance has answered. Undefined while waiting. Pure.
 */
export function completeAnswers(
  answers: readonly TailAnswer[],
  requestedAt: number,
  seenBefore: ReadonlySet<string> | undefined
): TailAnswer[] | undefined {
  const newest = new Map<string, TailAnswer>()
  for (const answer of answers) {
    if (answer.sampled.getTime() < requestedAt - CLOCK_MARGIN_MS) continue
    const known = newest.get(answer.instanceId)
    if (!known || known.sampled < answer.sampled) newest.set(answer.instanceId, answer)
  }
  if (newest.size === 0 || seenBefore === undefined) return undefined
  const stable = [...newest.keys()].every(id => seenBefore.has(id))
  return stable ? [...newest.values()].sort((a, b) => a.instanceId.localeCompare(b.instanceId)) : undefined
}

/** The instances of this round's answers, for the next round's `completeAnswers`. */
function instancesOf(answers: readonly TailAnswer[], requestedAt: number): Set<string> {
  return new Set(
    answers.filter(a => a.sampled.getTime() >= requestedAt - CLOCK_MARGIN_MS).map(a => a.instanceId)
  )
}

/** The pre-signed URL may be read: https, or plain http on a loopback host (how tests reach a local S3). */
export function readableUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url)
    if (parsed.protocol === 'https:') return parsed
    if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return parsed
  } catch {
    // not a URL
  }
  return undefined
}

/** The tail logs of every instance of the environment. Throws NoLogsError (or the AWS error) when there are none. */
export async function fetchTailLogs(
  beanstalk: TailSource,
  environmentId: string,
  clock: Clock,
  download: typeof fetch = fetch,
  deadline: Deadline = new Deadline(LOGS_BUDGET_MS, clock)
): Promise<InstanceLogs[]> {
  return await beanstalk.within(deadline, async () => {
    const requestedAt = clock.now()
    await beanstalk.info.requestTail(environmentId)
    // no instance answers at once: the first look after a pause saves a request of the budget
    await deadline.sleep(ANSWERS_EVERY_MS)
    let seen: Set<string> | undefined
    const heartbeat = new Heartbeat("the instances' tail logs", deadline)
    const answers = await poll<TailAnswer[]>(
      async () => {
        try {
          const all = await beanstalk.info.retrieveTail(environmentId)
          const complete = completeAnswers(all, requestedAt, seen)
          if (complete) return { done: true, value: complete }
          seen = instancesOf(all, requestedAt)
        } catch (error) {
          if (!isTransient(error)) throw error
          debug(`RetrieveEnvironmentInfo: ${describeError(error)}`)
        }
        const answered = seen?.size ?? 0
        heartbeat.beat(answered === 0 ? 'no instance has answered yet' : `${answered} instance(s) answered`)
        return { done: false, delayMs: ANSWERS_EVERY_MS }
      },
      {
        deadline,
        heartbeat: heartbeat.pulse(() =>
          (seen?.size ?? 0) === 0 ? 'no instance has answered yet' : `${seen?.size ?? 0} instance(s) answered`
        )
      }
    )
    if (!answers) {
      throw new NoLogsError(
        (seen?.size ?? 0) === 0
          ? `no instance answered within ${LOGS_BUDGET_MS / 1000} s (is an instance running?)`
          : `not every instance answered within ${LOGS_BUDGET_MS / 1000} s`
      )
    }
    const logs: InstanceLogs[] = []
    for (const answer of answers) {
      const text = await downloadTail(answer, deadline, download)
      if (text !== undefined) logs.push({ instanceId: answer.instanceId, files: parseTail(text) })
    }
    if (logs.length === 0) throw new NoLogsError('the logs could not be downloaded from S3')
    return logs
  })
}

/**
 * One instance's tail from its pre-signed URL (never printed: it grants access to the logs), at most
 * MAX_TAIL_BYTES. Undefined when it cannot be read (said in the debug log, by instance).
 */
async function downloadTail(
  answer: TailAnswer,
  deadline: Deadline,
  download: typeof fetch
): Promise<string | undefined> {
  const url = readableUrl(answer.url)
  if (!url) {
    debug(`the tail of ${answer.instanceId} is not at an https URL: not read`)
    return undefined
  }
  try {
    const timeoutMs = Math.max(1_000, Math.min(20_000, deadline.remaining()))
    const response = await download(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' })
    if (!response.ok) {
      debug(`the tail of ${answer.instanceId}: S3 answered ${response.status}`)
      await response.body?.cancel()
      return undefined
    }
    const text = await response.text()
    return text.length > MAX_TAIL_BYTES ? text.slice(-MAX_TAIL_BYTES) : text
  } catch (error) {
    debug(`the tail of ${answer.instanceId} could not be read: ${(error as Error).name}`)
    return undefined
  }
}
