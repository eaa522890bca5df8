import type { RequiredHealth } from '../inputs.js'

/**
 * How success is decided, in one place: when an update has succeeded or failed, from what DescribeEnvironments and the events say: what each event
 * message means (from the EB CLI's own list, see docs/deploy-beanstalk.md), the health rules, and the state
 * machine. Pure: one observation in, the next state and a decision out; the follow loop (follow.ts) does the calls and the waiting.
 */

export type EventMeaning = 'failed' | 'completed' | 'health' | 'progress'

/** Messages that end an update in failure (matched as prefixes). */
export const FAILURE_PREFIXES = [
  'Failed to deploy application.',
  'Failed to deploy configuration.',
  'The environment was reverted to the previous configuration setting.',
  'Update environment operation is complete, but with errors.',
  'Failed to launch environment.',
  'Create environment operation is complete, but with errors'
] as const

/** Messages that end an update successfully. */
export const SUCCESS_PREFIXES = [
  'Environment update completed successfully.',
  'Successfully deployed new configuration to environment.'
] as const

export function classifyEvent(message: string): EventMeaning {
  const text = message.trim()
  if (FAILURE_PREFIXES.some(prefix => text.startsWith(prefix))) return 'failed'
  if (SUCCESS_PREFIXES.some(prefix => text.startsWith(prefix))) return 'completed'
  if (/^Environment health has (transitioned|been set)/.test(text)) return 'health'
  return 'progress'
}

export interface Observation {
  time: number
  status: string
  health: string
  versionLabel?: string
}

export interface FollowState {
  /** The label being deployed. */
  target: string
  /** The label that ran before (undefined for an empty environment). */
  previous?: string
  requiredHealth: RequiredHealth
  /** How long Red may last after Ready before it counts as a failure. */
  redGraceMs: number
  /** Seen the environment not Ready since the request (the update has started). */
  started: boolean
  /** Seen "Environment update completed successfully." */
  completedEvent: boolean
  /** The first failed-deployment event, when one came. */
  failureEvent?: string
  /** Since when the environment has been Ready on our version but Red. */
  redSince?: number
}

export type Decision =
  /** `notice`: a wait the log should tell once, when it begins (the grace period for Red). */
  | { kind: 'wait'; reason: string; notice?: string }
  | { kind: 'success' }
  | { kind: 'failure'; cause: 'event' | 'other-version' | 'red' | 'terminated'; reason: string }

export function initialFollowState(options: {
  target: string
  previous?: string
  requiredHealth: RequiredHealth
  redGraceMs: number
}): FollowState {
  return { ...options, started: false, completedEvent: false }
}

const HEALTH_RANK: Record<string, number> = { Green: 3, Yellow: 2, Red: 1, Grey: 0 }

/** Green meets Green and Yellow; Yellow meets Yellow; Red and Grey meet nothing. */
export function meetsHealth(health: string, required: RequiredHealth): boolean {
  return (HEALTH_RANK[health] ?? 0) >= HEALTH_RANK[required]
}

/** The grace period for Red after Ready: an eighth of the timeout, between 5 s and 2 min. */
export function redGracePeriod(timeoutMs: number): number {
  return Math.min(120_000, Math.max(5_000, Math.round(timeoutMs / 8)))
}

/** Records what an event means for the update. */
export function noteEvent(state: FollowState, meaning: EventMeaning, message: string): FollowState {
  if (meaning === 'failed' && state.failureEvent === undefined) return { ...state, failureEvent: message }
  if (meaning === 'completed') return { ...state, completedEvent: true }
  return state
}

export function decide(
  state: FollowState,
  observation: Observation
): { state: FollowState; decision: Decision } {
  const { status, health, versionLabel, time } = observation
  let next: FollowState = status === 'Ready' ? state : { ...state, started: true }
  if (status === 'Terminating' || status === 'Terminated') {
    return {
      state: next,
      decision: { kind: 'failure', cause: 'terminated', reason: `The environment is ${status}.` }
    }
  }
  if (next.failureEvent !== undefined) {
    return { state: next, decision: { kind: 'failure', cause: 'event', reason: next.failureEvent } }
  }
  if (status !== 'Ready') {
    return {
      state: { ...next, redSince: undefined },
      decision: { kind: 'wait', reason: `${status}, health ${health}` }
    }
  }
  const begun = next.started || next.completedEvent
  if (versionLabel !== next.target) {
    if (!begun) return { state: next, decision: { kind: 'wait', reason: 'waiting for the update to start' } }
    return {
      state: next,
      decision: {
        kind: 'failure',
        cause: 'other-version',
        reason: `The environment is Ready but runs version "${versionLabel ?? '(none)'}", not "${next.target}": Beanstalk kept or restored the previous version.`
      }
    }
  }
  // Ready on our version. If it already ran it, wait until the update has visibly started or completed.
  if (!begun && next.previous === next.target) {
    return { state: next, decision: { kind: 'wait', reason: 'waiting for the update to start' } }
  }
  if (meetsHealth(health, next.requiredHealth)) return { state: next, decision: { kind: 'success' } }
  if (health === 'Red') {
    const redSince = next.redSince ?? time
    next = { ...next, redSince }
    if (time - redSince >= next.redGraceMs) {
      return {
        state: next,
        decision: {
          kind: 'failure',
          cause: 'red',
          reason: `The environment runs "${next.target}" but its health is Red and did not recover within ${Math.round(next.redGraceMs / 1000)}s.`
        }
      }
    }
    return {
      state: next,
      decision: {
        kind: 'wait',
        reason: 'Ready but Red: waiting to see whether it recovers',
        notice: `Ready on ${next.target} but health Red: waiting out a short Red (up to ${Math.round(next.redGraceMs / 1000)}s) to see whether it recovers.`
      }
    }
  }
  return {
    state: { ...next, redSince: undefined },
    decision: { kind: 'wait', reason: `Ready, health ${health}: waiting for ${next.requiredHealth}` }
  }
}
