/**
 * Blue/green operations of the sandbox (aws/swap.ts), through the SDK as an action sees them: a CNAME swap (both
 * Updating, the swap's events, then each holds the other's CNAME), its refusals in Beanstalk's words, and
 * TerminateEnvironment (Terminating → Terminated, then found only with IncludeDeleted).
 */
import { describe, expect, it } from '@jest/globals'
import {
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  CreateEnvironmentCommand,
  SwapEnvironmentCNAMEsCommand,
  TerminateEnvironmentCommand,
  UpdateEnvironmentCommand,
  type ElasticBeanstalkClient
} from '@aws-sdk/client-elastic-beanstalk'
import type { SandboxScenario } from '../index.js'
import { beanstalkClient, Clock, failure, sandboxesClosedAfterEach } from './clients.js'

const sandbox = sandboxesClosedAfterEach()
const APP = 'BrillianCRM'
const BLUE = 'BrillianCRM-blue'
const GREEN = 'BrillianCRM-green'
const LIVE = 'brilliancrm.eu-central-1.elasticbeanstalk.com'
const IDLE = 'brilliancrm-green.eu-central-1.elasticbeanstalk.com'

function pair(more: Partial<SandboxScenario> = {}, green: Record<string, unknown> = {}): SandboxScenario {
  return {
    name: 'pair',
    swapMs: 4000,
    terminateMs: 6000,
    applications: [
      {
        name: APP,
        versions: [{ label: 'v1' }, { label: 'v2' }],
        environments: [
          { name: BLUE, versionLabel: 'v1', cname: LIVE },
          { name: GREEN, versionLabel: 'v2', cname: IDLE, ...green }
        ]
      }
    ],
    ...more
  }
}

async function start(spec: SandboxScenario, clock = new Clock()) {
  const box = await sandbox(spec, clock)
  return { box, eb: beanstalkClient(box), clock }
}

async function states(eb: ElasticBeanstalkClient, includeDeleted = false) {
  const out = await eb.send(
    new DescribeEnvironmentsCommand({ ApplicationName: APP, IncludeDeleted: includeDeleted })
  )
  return Object.fromEntries(
    (out.Environments ?? []).map(e => [e.EnvironmentName, `${e.Status} ${e.Health} ${e.CNAME}`])
  )
}

async function messages(eb: ElasticBeanstalkClient, name: string): Promise<string[]> {
  const out = await eb.send(new DescribeEventsCommand({ EnvironmentName: name }))
  return (out.Events ?? []).map(e => e.Message ?? '').reverse()
}

describe('SwapEnvironmentCNAMEs', () => {
  it('both go Updating for swapMs, with the events, then each holds the other’s CNAME and both are Ready', async () => {
    const { box, eb, clock } = await start(pair())
    await eb.send(
      new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentName: BLUE, DestinationEnvironmentName: GREEN })
    )
    clock.advance(3999)
    expect(await states(eb)).toEqual({
      [BLUE]: `Updating Grey ${LIVE}`,
      [GREEN]: `Updating Grey ${IDLE}`
    })
    clock.advance(1)
    expect(await states(eb)).toEqual({
      [BLUE]: `Ready Green ${IDLE}`,
      [GREEN]: `Ready Green ${LIVE}`
    })
    expect(box.environment(GREEN)).toMatchObject({ cname: LIVE, versionLabel: 'v2' })
    const expected = [
      'swapEnvironmentCNAMEs is starting.',
      `Swapping CNAMEs for environments '${BLUE}' and '${GREEN}'.`,
      `Completed swapping CNAMEs for environments '${BLUE}' and '${GREEN}'.`,
      'swapEnvironmentCNAMEs completed successfully.'
    ]
    expect(await messages(eb, BLUE)).toEqual(expected)
    expect(await messages(eb, GREEN)).toEqual(expected)
    expect(box.mutatingCalls().map(c => c.operation)).toEqual(['SwapEnvironmentCNAMEs'])
  })

  it('by ids as well; a second swap moves them back', async () => {
    const { box, eb, clock } = await start(pair())
    const ids = {
      SourceEnvironmentId: box.environment(GREEN)!.id,
      DestinationEnvironmentId: box.environment(BLUE)!.id
    }
    await eb.send(new SwapEnvironmentCNAMEsCommand(ids))
    clock.advance(4000)
    await eb.send(new SwapEnvironmentCNAMEsCommand(ids))
    clock.advance(4000)
    expect(await states(eb)).toEqual({ [BLUE]: `Ready Green ${LIVE}`, [GREEN]: `Ready Green ${IDLE}` })
  })

  it('refused with Beanstalk’s own words when either is not Ready (nothing changes)', async () => {
    const { box, eb, clock } = await start(pair({}, { busyForMs: 10_000 }))
    const busy = await failure(
      eb.send(
        new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentName: BLUE, DestinationEnvironmentName: GREEN })
      )
    )
    expect(busy.name).toBe('InvalidParameterValue')
    expect(busy.message).toBe(
      `Environment named ${GREEN} is in an invalid state for this operation. Must be Ready.`
    )
    // a swap under way: neither side can be swapped or updated again until it ends
    clock.advance(10_000)
    await eb.send(
      new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentName: BLUE, DestinationEnvironmentName: GREEN })
    )
    const again = await failure(
      eb.send(
        new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentName: GREEN, DestinationEnvironmentName: BLUE })
      )
    )
    expect(again.message).toBe(
      `Environment named ${GREEN} is in an invalid state for this operation. Must be Ready.`
    )
    const update = await failure(
      eb.send(new UpdateEnvironmentCommand({ EnvironmentName: BLUE, VersionLabel: 'v2' }))
    )
    expect(update.message).toContain('Must be Ready')
    expect(box.calls('SwapEnvironmentCNAMEs')).toHaveLength(1)
  })

  it('refuses an unknown environment, itself, and a missing side', async () => {
    const { eb } = await start(pair())
    const unknown = await failure(
      eb.send(
        new SwapEnvironmentCNAMEsCommand({
          SourceEnvironmentName: BLUE,
          DestinationEnvironmentName: 'Nope-env'
        })
      )
    )
    expect(unknown.message).toBe("No Environment found for EnvironmentName = 'Nope-env'.")
    const self = await failure(
      eb.send(
        new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentName: BLUE, DestinationEnvironmentName: BLUE })
      )
    )
    expect(self.name).toBe('InvalidParameterValue')
    const missing = await failure(eb.send(new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentName: BLUE })))
    expect(missing.name).toBe('MissingParameter')
    expect(await states(eb)).toEqual({ [BLUE]: `Ready Green ${LIVE}`, [GREEN]: `Ready Green ${IDLE}` })
  })

  it('a lost reply: the swap took effect, the caller only sees the connection drop', async () => {
    const { box, eb, clock } = await start(
      pair({ faults: { lostReplies: { operations: ['SwapEnvironmentCNAMEs'] } } })
    )
    const lost = await failure(
      beanstalkClient(box, { maxAttempts: 1 }).send(
        new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentName: BLUE, DestinationEnvironmentName: GREEN })
      )
    )
    expect(lost.$metadata?.httpStatusCode).toBeUndefined()
    clock.advance(4000)
    expect(await states(eb)).toEqual({ [BLUE]: `Ready Green ${IDLE}`, [GREEN]: `Ready Green ${LIVE}` })
    expect(box.calls('SwapEnvironmentCNAMEs')).toHaveLength(1)
  })
})

describe('TerminateEnvironment', () => {
  it('Terminating for terminateMs, then Terminated: gone from the list but with IncludeDeleted, its CNAME free', async () => {
    const { box, eb, clock } = await start(pair())
    const out = await eb.send(new TerminateEnvironmentCommand({ EnvironmentName: GREEN }))
    expect(out.Status).toBe('Terminating')
    clock.advance(5999)
    expect((await states(eb))[GREEN]).toBe(`Terminating Grey ${IDLE}`)
    clock.advance(1)
    expect(await states(eb)).toEqual({ [BLUE]: `Ready Green ${LIVE}` })
    expect((await states(eb, true))[GREEN]).toBe(`Terminated Grey ${IDLE}`)
    expect(await messages(eb, GREEN)).toEqual([
      'terminateEnvironment is starting.',
      'Waiting for EC2 instances to terminate. This may take a few minutes.',
      'terminateEnvironment completed successfully.'
    ])
    expect(box.environment(GREEN)?.status).toBe('Terminated')
    // a terminated environment is no side of a swap, and cannot be terminated twice
    const swap = await failure(
      eb.send(
        new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentName: BLUE, DestinationEnvironmentName: GREEN })
      )
    )
    expect(swap.message).toBe(`No Environment found for EnvironmentName = '${GREEN}'.`)
    const twice = await failure(eb.send(new TerminateEnvironmentCommand({ EnvironmentName: GREEN })))
    expect(twice.message).toBe(`No Environment found for EnvironmentName = '${GREEN}'.`)
  })

  it('frees its CNAME: a new environment may take the prefix once it is Terminated, not before', async () => {
    const { eb, clock } = await start(pair())
    await eb.send(new TerminateEnvironmentCommand({ EnvironmentName: GREEN }))
    const create = () =>
      eb.send(
        new CreateEnvironmentCommand({
          ApplicationName: APP,
          EnvironmentName: 'BrillianCRM-green2',
          CNAMEPrefix: 'brilliancrm-green',
          VersionLabel: 'v2',
          SolutionStackName: '64bit Amazon Linux 2023 v4.4.0 running Docker'
        })
      )
    const taken = await failure(create())
    expect(taken.message).toBe(`DNS name (${IDLE}) is not available.`)
    clock.advance(6000)
    expect((await create()).CNAME).toBe(IDLE)
  })

  it('refused while the environment is not Ready', async () => {
    const { eb } = await start(pair({}, { busyForMs: 10_000 }))
    const busy = await failure(eb.send(new TerminateEnvironmentCommand({ EnvironmentName: GREEN })))
    expect(busy.message).toBe(
      `Environment named ${GREEN} is in an invalid state for this operation. Must be Ready.`
    )
    expect((await states(eb))[GREEN]).toBe(`Updating Grey ${IDLE}`)
  })
})
