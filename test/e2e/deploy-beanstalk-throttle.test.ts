/**
 * deploy-beanstalk end to end under an account-wide throttle (issue 21): six real bundles deploy six environments
 * at once against one sandbox whose token bucket (2 requests/s, burst 15: what AWS support quoted for
 * DescribeEnvironments/DescribeEvents) they all share, as six workflows in one account do. A throttled request must
 * not cost a step the requests it needs later: each deploy ends within a few seconds of its environment being done
 * (they ended 40–48 s late when throttled retries used up each step's own budget). On a busy machine (load 4–7)
 * this setup measured 2.9–12.2 s late on the code before (three over 7 s) and 1.1–3.4 s after. Real clock (the
 * bucket refills in real time): about 75 s.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { errorText, runBundle, startSandbox, type BundleRun, type Sandbox } from '../../sandbox/index.js'
import { APP, ENV, IMAGE, workspace } from '../helpers/deploy-beanstalk-fixtures.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const N = 6
/** Each environment's update: long enough that throttled requests during the follow used up the old budget. */
const UPDATE_MS = 40_000
/** "Within a few seconds": the latency after Ready allowed to each deploy under the throttle. */
const LATE_MS = 7_000

describe('deploy-beanstalk e2e: many deploys at once under an account-wide throttle', () => {
  it(`${N} deploys sharing a token bucket each end within a few seconds of their environment being done`, async () => {
    const names = Array.from({ length: N }, (_, i) => `${ENV}-${i + 1}`)
    const box: Sandbox = await startSandbox(
      {
        name: 'throttled account',
        applications: [
          {
            name: APP,
            versions: [{ label: 'v0-initial' }],
            environments: names.map(name => ({
              name,
              versionLabel: 'v0-initial',
              update: { durationMs: UPDATE_MS, outcome: 'healthy' as const },
              // deployed before (its updates took about as long): the schedule knows when to look often
              history: [UPDATE_MS - 2_000, UPDATE_MS + 1_000, UPDATE_MS]
            }))
          }
        ],
        faults: { accountBucket: { perSecond: 2, burst: 15 } }
      },
      { silent: true }
    )
    cleanups.push(() => box.close())
    const runs: Array<BundleRun & { exitAt: number }> = await Promise.all(
      names.map(async (name, i) => {
        const run = await runBundle('deploy-beanstalk', {
          inputs: {
            'application-name': APP,
            'environment-name': name,
            image: `${IMAGE.replace(/:.*$/, '')}:throttled-${i}`
          },
          env: box.env,
          workspace: workspace(cleanups),
          timeoutMs: 120_000
        })
        return { ...run, exitAt: Date.now() }
      })
    )
    const throttled = box.requests.filter(r => r.service === 'elasticbeanstalk' && r.fault === 'throttle')
    // the bucket did throttle them (else this proves nothing)
    expect(throttled.length).toBeGreaterThan(0)
    const late = runs.map((run, i) => {
      const readyAt = box.environment(names[i])?.readyAt
      return { name: names[i], code: run.code, errors: errorText(run), lateMs: run.exitAt - (readyAt ?? NaN) }
    })
    for (const [i, run] of runs.entries()) {
      if (late[i].lateMs <= LATE_MS) continue
      // what that deploy asked after its update began, relative to Ready (for a readable failure)
      const env = box.environment(names[i])
      const asked = box.requests
        .filter(r => JSON.stringify(r.params).includes(env?.id ?? '?'))
        .map(
          r => `${((r.time - (env?.readyAt ?? 0)) / 1000).toFixed(2)} s ${r.operation} ${r.fault ?? r.status}`
        )
      console.log(`${names[i]} ended ${late[i].lateMs} ms late:\n${asked.join('\n')}\n${run.stdout}`)
    }
    expect(late).toEqual(names.map(name => ({ name, code: 0, errors: '', lateMs: expect.any(Number) })))
    expect(late.filter(l => !(l.lateMs >= 0 && l.lateMs <= LATE_MS))).toEqual([])
  }, 180_000)
})
