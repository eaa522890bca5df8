import * as core from '@actions/core'
import type { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk'
import { instrument } from './aws.js'
import { formatDuration } from './format.js'
import { CallBudget, isThrottling, type Clock, type Deadline } from './retry.js'

/** Beanstalk requests in any 60 s window that AWS answers (SDK retries included; a throttled one gives its slot back). */
export const BEANSTALK_REQUESTS_PER_MINUTE = 20

export interface BeanstalkPaceOptions {
  /** The mutating operations a lost reply must not repeat blindly (the caller looks first). */
  unsafeToRepeat: (operation: string) => boolean
  /** Operations counted but not paced (each still passes the budget's record). */
  unpaced?: ReadonlySet<string>
}

/**
 * The one pace of Beanstalk requests, for every action that calls Beanstalk: a call budget of at most 20 requests
 * in any 60 s window (every request sent, SDK retries included), hooked into `client` so each attempt waits for
 * its slot, never past `deadline()` (the deadline of the work under way, see the gateways' `within`). A throttled
 * request gives its slot back and slows the pace; an answer recovers it (common/retry/budget.ts). The deploy's
 * poll schedule (deploy-beanstalk/update/poll.ts) reads the same budget.
 */
export function paceBeanstalkRequests(
  client: ElasticBeanstalkClient,
  clock: Clock,
  deadline: () => Deadline | undefined,
  options: BeanstalkPaceOptions
): CallBudget {
  const unpaced = options.unpaced ?? new Set<string>()
  // a second of margin: AWS counts a request when it arrives, a little after we sent it
  const budget = new CallBudget(
    BEANSTALK_REQUESTS_PER_MINUTE,
    61_000,
    clock,
    waitMs => {
      // a wait a reader would notice gets a line (at least every 20 s while it lasts)
      if (waitMs >= 5_000)
        core.info(
          `Pacing Beanstalk requests (at most ${BEANSTALK_REQUESTS_PER_MINUTE} in any minute): the next one in ${formatDuration(waitMs)}.`
        )
    },
    `at most ${BEANSTALK_REQUESTS_PER_MINUTE} Beanstalk requests in any minute`
  )
  instrument(client, {
    service: 'elasticbeanstalk',
    // every attempt passes here (an SDK retry is a request too), so the budget sees each one
    beforeSend: async operation => {
      if (unpaced.has(operation)) budget.record()
      else return await budget.acquire(deadline())
    },
    unsafeToRepeat: options.unsafeToRepeat,
    afterReply: (operation, error, slot) => {
      if (unpaced.has(operation)) return
      if (error === undefined) budget.succeeded()
      else if (isThrottling(error)) budget.throttled(slot)
    }
  })
  return budget
}
