/** swap-environments' pure parts: its inputs, and the decision from the pair as DescribeEnvironments shows it. */
import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import type { Environment } from '../../src/swap-environments/beanstalk.js'
import { INPUT_NAMES, parseInputs, type RawInputs } from '../../src/swap-environments/inputs.js'
import {
  decide,
  describePlan,
  resolve,
  swapDone,
  terminateRefusal
} from '../../src/swap-environments/plan.js'

const LIVE = 'brilliancrm.eu-central-1.elasticbeanstalk.com'
const raw = (more: Partial<RawInputs> = {}): RawInputs => ({
  ...(Object.fromEntries(INPUT_NAMES.map(name => [name, ''])) as RawInputs),
  'application-name': 'BrillianCRM',
  'environment-name': 'BrillianCRM-blue BrillianCRM-green',
  'live-cname': 'brilliancrm',
  region: 'eu-central-1',
  ...more
})
const inputs = (more: Partial<RawInputs> = {}) => parseInputs(raw(more), {})

const env = (name: string, more: Partial<Environment> = {}): Environment => ({
  name,
  id: `e-${name.slice(-4)}`,
  status: 'Ready',
  health: 'Green',
  ...more
})
const blue = (more: Partial<Environment> = {}) =>
  env('BrillianCRM-blue', { cname: LIVE, versionLabel: 'v1', ...more })
const green = (more: Partial<Environment> = {}) =>
  env('BrillianCRM-green', {
    cname: 'brilliancrm-green.eu-central-1.elasticbeanstalk.com',
    versionLabel: 'v2',
    ...more
  })

describe('inputs', () => {
  it('parses the defaults', () => {
    expect(inputs()).toEqual({
      application: 'BrillianCRM',
      pair: { names: ['BrillianCRM-blue', 'BrillianCRM-green'], twinDerived: false },
      liveCname: { prefix: 'brilliancrm', host: LIVE },
      expectVersionLabel: undefined,
      requiredHealth: 'Green',
      waitForDns: true,
      idleAfterSwap: 'keep',
      timeoutMs: 600_000,
      region: 'eu-central-1',
      dryRun: false
    })
  })

  it('one name: its twin; the region from AWS_REGION; Yellow and terminate in any case', () => {
    const parsed = parseInputs(
      {
        ...raw({ 'environment-name': 'BrillianCRM-env', region: '' }),
        'required-health': 'YELLOW',
        'idle-after-swap': 'Terminate'
      },
      { AWS_REGION: 'eu-central-1' }
    )
    expect(parsed.pair.names).toEqual(['BrillianCRM-env', 'BrillianCRM-env-twin'])
    expect([parsed.requiredHealth, parsed.idleAfterSwap]).toEqual(['Yellow', 'terminate'])
  })

  it.each([
    [{ 'application-name': '' }, 'application-name'],
    [{ 'live-cname': '' }, 'live-cname'],
    [{ 'live-cname': 'brilliancrm.us-east-1.elasticbeanstalk.com' }, 'live-cname'],
    [{ 'expect-version-label': 'x'.repeat(101) }, 'expect-version-label'],
    [{ 'required-health': 'Red' }, 'required-health'],
    [{ 'idle-after-swap': 'delete' }, 'idle-after-swap'],
    [{ 'wait-for-dns': 'yes' }, 'wait-for-dns'],
    [{ timeout: '0' }, 'timeout']
  ] as Array<[Partial<RawInputs>, string]>)('refuses %j naming %s', (more, input) => {
    expect(() => inputs(more)).toThrow(
      expect.objectContaining({ name: 'UserError', input }) as unknown as Error
    )
  })
})

describe('decide', () => {
  const decideFor = (envs: Environment[], more: Partial<RawInputs> = {}) => {
    const i = inputs(more)
    return decide(i, resolve(i, envs))
  }

  it('swaps a Ready, Green idle environment running the expected version', () => {
    expect(decideFor([blue(), green()], { 'expect-version-label': 'v2' })).toMatchObject({
      kind: 'swap',
      live: { name: 'BrillianCRM-blue' },
      idle: { name: 'BrillianCRM-green' }
    })
  })

  it('the pair the other way round (after a swap) is found by who holds live-cname', () => {
    const swapped = [
      blue({ cname: 'brilliancrm-green.eu-central-1.elasticbeanstalk.com' }),
      green({ cname: LIVE })
    ]
    expect(decideFor(swapped)).toMatchObject({ kind: 'swap', live: { name: 'BrillianCRM-green' } })
    expect(decideFor(swapped, { 'expect-version-label': 'v2' }).kind).toBe('already-live')
  })

  it('refuses an idle environment that is unhealthy, on another version, not Ready, or missing', () => {
    const reason = (d: ReturnType<typeof decideFor>) => (d.kind === 'refuse' ? d.error.message : d.kind)
    expect(reason(decideFor([blue(), green({ health: 'Red' })]))).toContain(
      'is Red, and required-health is Green'
    )
    expect(reason(decideFor([blue(), green({ health: 'Yellow' })]))).toContain('is Yellow')
    expect(decideFor([blue(), green({ health: 'Yellow' })], { 'required-health': 'Yellow' }).kind).toBe(
      'swap'
    )
    expect(decideFor([blue(), green({ health: 'Grey' })], { 'required-health': 'Yellow' }).kind).toBe(
      'refuse'
    )
    expect(reason(decideFor([blue(), green()], { 'expect-version-label': 'v3' }))).toContain(
      'BrillianCRM-green runs v2, not v3'
    )
    expect(reason(decideFor([blue(), green({ status: 'Terminating' })]))).toContain('is Terminating')
    expect(reason(decideFor([blue()]))).toContain(
      'BrillianCRM-green, the idle environment of the pair, does not exist'
    )
  })

  it('waits while either is Updating or Launching', () => {
    expect(decideFor([blue({ status: 'Updating' }), green()])).toMatchObject({ kind: 'wait' })
    expect(decideFor([blue(), green({ status: 'Launching' })])).toMatchObject({ kind: 'wait' })
  })

  it('neither holds live-cname: the pair’s own UserError', () => {
    expect(() => decideFor([blue({ cname: 'other.eu-central-1.elasticbeanstalk.com' }), green()])).toThrow(
      UserError
    )
  })
})

describe('swapDone, terminateRefusal, describePlan', () => {
  const i = inputs()
  const before = { live: blue(), idle: green() }

  it('done only when both are Ready and the CNAMEs are exchanged', () => {
    const exchanged = [blue({ cname: green().cname }), green({ cname: LIVE })]
    expect(swapDone(i, before, exchanged)).toBe(true)
    expect(swapDone(i, before, [blue({ status: 'Updating' }), green({ status: 'Updating' })])).toBe(false)
    expect(swapDone(i, before, [exchanged[0], { ...exchanged[1], status: 'Updating' }])).toBe(false)
    expect(swapDone(i, before, [blue(), green()])).toBe(false)
  })

  it('terminating without a swap of its own needs a Ready, healthy live environment', () => {
    expect(terminateRefusal(i, green())).toBeUndefined()
    expect(terminateRefusal(i, green({ health: 'Red' }))?.message).toContain('the idle environment is kept')
  })

  it('the plan names live, idle, the swap, the DNS TTL, and warns about terminating without waiting for DNS', () => {
    const plan = describePlan(
      inputs({ 'idle-after-swap': 'terminate', 'wait-for-dns': 'false' }),
      decide(i, resolve(i, [blue(), green()]))
    ).join('\n')
    expect(plan).toContain(`Live:   BrillianCRM-blue (v1, Ready, Green, ${LIVE}): holds ${LIVE}`)
    expect(plan).toContain('TTL of 60 s')
    expect(plan).toContain('Then:   terminate BrillianCRM-blue once the swap succeeded')
    expect(plan).toContain('Warning: with wait-for-dns: false')
  })
})
