import type { Clock } from '../../src/common/retry.js'

/** A clock whose sleeps move time on at once, recording each wait; `t` is the current time (ms epoch). */
export function fakeClock(start = 1_700_000_000_000): Clock & { t: number; waits: number[] } {
  const clock = {
    t: start,
    waits: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.waits.push(ms)
      clock.t += ms
    }
  }
  return clock
}
