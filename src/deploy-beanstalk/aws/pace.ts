import * as core from '@actions/core'
import type { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk'
import { instrument } from '../../common/aws.js'
import { formatDuration } from '../../common/format.js'
import { CallBudget, isThrottling, type Clock, type Deadline } from '../../common/retry.js'
import { UNSAFE_TO_REPEAT } from './environments.js'

/** Beanstalk requests in any 60 s window that AWS answers (SDK retries included; a throttled one gives its slot back). */
export const BEANSTALK_REQUESTS_PER_MINUTE = 20

/**
 * The one pace of Beanstalk requests: a call budget of at most 20 requests in any 60 s window (every request
 * sent, SDK retries included), hooked into `client` so each attempt waits for its slot, never past `deadline()`
 * (the deadline of the work under way, see BeanstalkGateway.within). The poll schedule (update/poll.ts) reads the
 * same budget.
 */
export function paceBeanstalkRequests(
  client: ElasticBeanstalkClient,
  clock: Clock,
  deadline: () => Deadline | undefined
): CallBudget {
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
      // Pruning old versions (keep-versions) happens outside the follow, before the version is created or after
      // the deploy, one deletion at a time: counted, but not paced (holding back 50 deletions at 20 a minute
      // would add minutes to a deploy, and the SDK retries a throttled deletion itself).
      if (operation === 'DeleteApplicationVersion') budget.record()
      else return await budget.acquire(deadline())
    },
    unsafeToRepeat: operation => UNSAFE_TO_REPEAT.has(operation),
    // Throttling gives the slot back and slows the pace; an answer recovers it (common/budget.ts)
    afterReply: (operation, error, slot) => {
      if (operation === 'DeleteApplicationVersion') return
      if (error === undefined) budget.succeeded()
      else if (isThrottling(error)) budget.throttled(slot)
    }
  })
  return budget
}
