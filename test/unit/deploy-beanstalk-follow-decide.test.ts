import { describe, expect, it } from '@jest/globals'
import {
  decide,
  initialFollowState,
  meetsHealth,
  noteEvent,
  redGracePeriod,
  type FollowState
} from '../../src/deploy-beanstalk/update/decide.js'

const start = (over: Partial<FollowState> = {}): FollowState => ({
  ...initialFollowState({ target: 'v2', previous: 'v1', requiredHealth: 'Green', redGraceMs: 10_000 }),
  ...over
})
const obs = (status: string, health: string, versionLabel: string | undefined, time = 0) => ({
  status,
  health,
  versionLabel,
  time
})

describe('health decisions', () => {
  it('Green meets Green and Yellow; Yellow only Yellow; Red and Grey nothing', () => {
    expect(meetsHealth('Green', 'Green')).toBe(true)
    expect(meetsHealth('Green', 'Yellow')).toBe(true)
    expect(meetsHealth('Yellow', 'Yellow')).toBe(true)
    expect(meetsHealth('Yellow', 'Green')).toBe(false)
    expect(meetsHealth('Red', 'Yellow')).toBe(false)
    expect(meetsHealth('Grey', 'Yellow')).toBe(false)
  })
  it('waits while Updating, then succeeds on Ready + our version + Green', () => {
    let s = start()
    let r = decide(s, obs('Updating', 'Grey', 'v1'))
    expect(r.decision.kind).toBe('wait')
    s = r.state
    r = decide(s, obs('Ready', 'Green', 'v2'))
    expect(r.decision).toEqual({ kind: 'success' })
  })
  it('Yellow then Green: waits on Yellow when Green is required', () => {
    const s = start({ started: true })
    expect(decide(s, obs('Ready', 'Yellow', 'v2')).decision.kind).toBe('wait')
    expect(decide({ ...s, requiredHealth: 'Yellow' }, obs('Ready', 'Yellow', 'v2')).decision.kind).toBe(
      'success'
    )
  })
  it('fails on a failed-deployment event with its message', () => {
    const s = noteEvent(start({ started: true }), 'failed', 'Failed to deploy application.')
    const r = decide(s, obs('Updating', 'Red', 'v1'))
    expect(r.decision).toEqual({ kind: 'failure', cause: 'event', reason: 'Failed to deploy application.' })
  })
  it('fails when Ready on another version after the update began', () => {
    const r = decide(start({ started: true }), obs('Ready', 'Green', 'v1'))
    expect(r.decision).toMatchObject({ kind: 'failure', cause: 'other-version' })
  })
  it('does not mistake the old Ready state for a result before the update starts', () => {
    expect(decide(start(), obs('Ready', 'Green', 'v1')).decision.kind).toBe('wait')
    // redeploy of the running version: wait until the update has visibly started
    const same = start({ previous: 'v2' })
    expect(decide(same, obs('Ready', 'Green', 'v2')).decision.kind).toBe('wait')
    expect(
      decide(
        noteEvent(same, 'completed', 'Environment update completed successfully.'),
        obs('Ready', 'Green', 'v2')
      ).decision.kind
    ).toBe('success')
  })
  it('gives Red after Ready a grace period, then fails', () => {
    let s = start({ started: true })
    let r = decide(s, obs('Ready', 'Red', 'v2', 1_000))
    expect(r.decision.kind).toBe('wait')
    s = r.state
    r = decide(s, obs('Ready', 'Red', 'v2', 6_000))
    expect(r.decision.kind).toBe('wait')
    r = decide(r.state, obs('Ready', 'Red', 'v2', 11_000))
    expect(r.decision).toMatchObject({ kind: 'failure', cause: 'red' })
  })
  it('Red that recovers within the grace period succeeds', () => {
    const s = decide(start({ started: true }), obs('Ready', 'Red', 'v2', 0)).state
    expect(decide(s, obs('Ready', 'Green', 'v2', 5_000)).decision.kind).toBe('success')
  })
  it('a terminated environment is a failure', () => {
    expect(decide(start(), obs('Terminating', 'Grey', 'v1')).decision).toMatchObject({
      kind: 'failure',
      cause: 'terminated'
    })
  })
  it('the grace period is an eighth of the timeout, between 5 s and 2 min', () => {
    expect(redGracePeriod(20 * 60_000)).toBe(120_000)
    expect(redGracePeriod(8 * 60_000)).toBe(60_000)
    expect(redGracePeriod(10_000)).toBe(5_000)
  })
})
