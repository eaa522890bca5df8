import type { RequestLogEntry } from './aws/index.js'

/**
 * A clock for the sandbox (startSandbox's `now` and `onRequest`), driven by what the actions do rather than by
 * timers, so a scenario plays out the same way whatever the machine's load and however long the tools take to
 * start (npm run demo, npm run local):
 * - unless `pause` is false, it stands still from the sandbox's start until deploy-beanstalk first looks at
 *   the environment (DescribeEnvironments, in its look-up), so an environment busy with another deployment is
 *   seen busy by the look-up and by the wait that follows it (before anything is uploaded), however long the
 *   tools took to start, and that other deployment then ends `busyForMs` later (a busy window shorter than
 *   deploy-beanstalk's 2 s poll: it is over at the next look);
 *   invalidate-cloudfront, which compares CloudFront's dates with its own, runs it unpaused;
 * - each UpdateEnvironment moves it on by `updateMs` (the scenario's update duration), so Beanstalk's events
 *   keep their order and times, and the update is over when deploy-beanstalk first looks (no waiting for its
 *   next poll 2 s later); an update that never ends still never ends;
 * - likewise each CreateApplicationVersion moves it on by `processingMs` (the sandbox's processing time for the
 *   scenario; default 0), so the version is processed when deploy-beanstalk first looks at it; each CreateEnvironment
 *   by `launchMs` and each SwapEnvironmentCNAMEs by `swapMs` (blue/green), so a new twin is Ready and a swap over
 *   when they are first looked at;
 * - `catchUp()` (after a deploy step) brings it back to real time if it is behind, so CloudFront's dates
 *   are never in the past for invalidate-cloudfront.
 */
export function actionDrivenClock(
  updateMs: number,
  options: { pause?: boolean; processingMs?: number; launchMs?: number; swapMs?: number } = {}
): {
  now: () => number
  onRequest: (entry: RequestLogEntry) => void
  catchUp: () => void
} {
  const createdAt = Date.now()
  let offset: number | undefined = options.pause === false ? 0 : undefined
  return {
    now: () => (offset === undefined ? createdAt : Date.now() + offset),
    onRequest: entry => {
      if (entry.status !== 200) return
      const update = entry.operation === 'UpdateEnvironment'
      if (
        update ||
        entry.operation === 'DescribeEnvironments' ||
        entry.operation === 'CreateApplicationVersion'
      )
        offset ??= createdAt - Date.now()
      if (update && offset !== undefined) offset += updateMs
      if (entry.operation === 'CreateApplicationVersion' && offset !== undefined)
        offset += options.processingMs ?? 0
      if (entry.operation === 'CreateEnvironment' && offset !== undefined) offset += options.launchMs ?? 0
      if (entry.operation === 'SwapEnvironmentCNAMEs' && offset !== undefined) offset += options.swapMs ?? 0
    },
    catchUp: () => {
      offset = Math.max(offset ?? 0, 0)
    }
  }
}
