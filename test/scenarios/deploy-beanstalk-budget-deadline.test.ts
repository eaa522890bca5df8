/**
 * The Beanstalk call budget under a deadline, through the product's SDK client (its middleware and retry strategy
 * on the fake clock) against the sandbox: a request whose slot would only come after the deadline is neither sent
 * nor retried, and fails at once; the deadline is the one of the work under way (`within`), so a rollback keeps
 * to its own fresh one and the step's is back after it.
 */
import { describe, expect, it } from '@jest/globals'
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk'
import { awsClientConfig } from '../../src/common/aws.js'
import { DeadlineReached } from '../../src/common/errors.js'
import { Deadline } from '../../src/common/retry.js'
import { BeanstalkGateway } from '../../src/deploy-beanstalk/aws/beanstalk.js'
import { BEANSTALK_REQUESTS_PER_MINUTE } from '../../src/common/beanstalk-pace.js'
import type { Plan } from '../../src/deploy-beanstalk/plan.js'
import { rollBack } from '../../src/deploy-beanstalk/update/rollback.js'
import { fakeClock } from '../helpers/fakes.js'
import { type Sandbox, sandboxesClosedAfterEach } from '../../sandbox/index.js'

const sandbox = sandboxesClosedAfterEach()
const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'

async function setUp() {
  const clock = fakeClock(Date.now())
  const box: Sandbox = await sandbox(
    {
      name: 'budget',
      applications: [
        {
          name: APP,
          versions: [{ label: 'v0' }, { label: 'v1' }],
          environments: [{ name: ENV, versionLabel: 'v1', update: { durationMs: 1000, outcome: 'healthy' } }]
        }
      ]
    },
    { now: () => clock.t }
  )
  const client = new ElasticBeanstalkClient({
    ...awsClientConfig('eu-central-1', { clock }),
    endpoint: box.url,
    credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY }
  })
  const gateway = new BeanstalkGateway('eu-central-1', client, clock)
  const [environment] = await gateway.environments({ names: [ENV] })
  /** Takes every slot of the window now, as a burst of requests just before would have. */
  const fillBudget = async () => {
    while (gateway.budget.inWindow() < BEANSTALK_REQUESTS_PER_MINUTE) await gateway.budget.acquire()
  }
  return { box, clock, gateway, environment, fillBudget }
}

describe('the Beanstalk call budget within a deadline', () => {
  it('no slot before the deadline: the request fails at once, is not sent, and the SDK does not retry it', async () => {
    const { box, clock, gateway, fillBudget } = await setUp()
    await fillBudget()
    const sent = box.requests.length
    const start = clock.t
    const step = new Deadline(30_000, clock)
    const error = await gateway
      .within(step, () => gateway.environments({ names: [ENV] }))
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeadlineReached)
    expect((error as Error).message).toMatch(
      /^The step's timeout \(30s\) is reached: the next request could only be sent in 1m 1s, later than the 30s left, because this action keeps to at most 20 Beanstalk requests in any minute/
    )
    expect(box.requests.length).toBe(sent)
    expect(clock.t).toBe(start)
    // outside any deadline (none set), the same request waits for its slot as before
    const [env] = await gateway.environments({ names: [ENV] })
    expect(env.name).toBe(ENV)
    expect(clock.t - start).toBe(61_000)
  })

  /** What rollBack reads of the plan: v1 failed on the environment, v0 ran before; `timeoutMs` its fresh deadline. */
  const rollbackPlan = (environmentId: string, timeoutMs: number) =>
    ({
      application: APP,
      environment: ENV,
      environmentId,
      label: 'v1',
      previousLabel: 'v0',
      requiredHealth: 'Green',
      timeoutMs
    }) as unknown as Plan

  it('a rollback keeps to its own fresh deadline, and the step’s is back after it', async () => {
    const { box, clock, gateway, environment, fillBudget } = await setUp()
    const plan = rollbackPlan(environment.id, 120_000)
    const step = new Deadline(30_000, clock)
    await gateway.within(step, async () => {
      await fillBudget()
      // the step's 30 s could not hold the wait for a slot (61 s); the rollback's fresh 2 minutes can
      const report = await rollBack(gateway, plan, environment, clock)
      expect(report).toMatchObject({ result: 'succeeded', label: 'v0' })
      expect(box.environment(ENV)?.versionLabel).toBe('v0')
      expect(clock.t - step.start).toBeGreaterThanOrEqual(61_000)
      // the step's deadline again (now past): with the window full, a request fails at once
      await fillBudget()
      const before = clock.t
      await expect(gateway.environments({ names: [ENV] })).rejects.toThrow(/after the timeout/)
      expect(clock.t).toBe(before)
    })
  })

  it('a rollback whose fresh deadline ends before a slot: reported as timed out, nothing sent', async () => {
    const { box, clock, gateway, environment, fillBudget } = await setUp()
    const plan = rollbackPlan(environment.id, 40_000)
    await fillBudget()
    const sent = box.requests.length
    const report = await rollBack(gateway, plan, environment, clock)
    expect(report).toEqual({
      result: 'timed-out',
      label: 'v0',
      detail:
        'rolling back to v0 did not finish within the timeout: the next Beanstalk request could only have been sent after it (the call budget was full).'
    })
    expect(box.requests.length).toBe(sent)
  })
})
