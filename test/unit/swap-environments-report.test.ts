/** swap-environments' job summary: the shared layout (common/summary.ts), well formed for every outcome. */
import { describe, expect, it } from '@jest/globals'
import { renderSummary } from '../../src/common/summary.js'
import { DeadlineReached } from '../../src/common/errors.js'
import type { Environment } from '../../src/swap-environments/beanstalk.js'
import { INPUT_NAMES, parseInputs, type RawInputs } from '../../src/swap-environments/inputs.js'
import { decide, resolve } from '../../src/swap-environments/plan.js'
import { summary, type SwapRun } from '../../src/swap-environments/report.js'
import { summaryFaults } from '../helpers/summary-lint.js'

const LIVE = 'brilliancrm.eu-central-1.elasticbeanstalk.com'
const IDLE = 'brilliancrm-green.eu-central-1.elasticbeanstalk.com'
const inputs = (more: Partial<RawInputs> = {}) =>
  parseInputs(
    {
      ...(Object.fromEntries(INPUT_NAMES.map(name => [name, ''])) as RawInputs),
      'application-name': 'BrillianCRM',
      'environment-name': 'BrillianCRM-blue BrillianCRM-green',
      'live-cname': 'brilliancrm',
      region: 'eu-central-1',
      'expect-version-label': 'v2',
      ...more
    },
    {}
  )
const env = (name: string, cname: string, versionLabel: string, more: Partial<Environment> = {}) =>
  ({
    name,
    id: `e-${name.slice(-5)}`,
    status: 'Ready',
    health: 'Green',
    cname,
    versionLabel,
    ...more
  }) as Environment
const blue = env('BrillianCRM-blue', LIVE, 'v1')
const green = env('BrillianCRM-green', IDLE, 'v2')

function render(record: SwapRun, error?: unknown): string {
  return renderSummary(summary(record, record.inputs!, error))
}

describe('swap-environments summary', () => {
  it('a swap: the headline says what is live now, the facts, the events; well formed', () => {
    const i = inputs()
    const after = {
      live: { ...green, cname: LIVE },
      idle: { ...blue, cname: IDLE }
    }
    const text = render({
      inputs: i,
      before: { live: blue, idle: green },
      after,
      decision: 'swap',
      swapped: true,
      swapRequests: 1,
      dnsWaitedMs: 60_000,
      events: [
        {
          date: new Date('2026-12-08T00:00:00Z'),
          message: 'swapEnvironmentCNAMEs completed successfully.',
          severity: 'INFO',
          environmentName: 'BrillianCRM-green'
        }
      ]
    })
    expect(text).toContain('### ✅ Blue/green swap')
    expect(text).toContain(
      `The live CNAME \`${LIVE}\` now points to **BrillianCRM-green** (\`v2\`); BrillianCRM-blue (\`v1\`) is idle, one swap away.`
    )
    expect(text).toContain('| DNS | CNAME TTL 60 s; waited 1m |')
    expect(text).toContain('<details><summary>Beanstalk events (1)</summary>')
    expect(summaryFaults(text)).toEqual([])
  })

  it('a refusal: nothing swapped, the Why and the fix apart; well formed', () => {
    const i = inputs()
    const decision = decide(i, resolve(i, [blue, { ...green, health: 'Red' }]))
    if (decision.kind !== 'refuse') throw new Error('expected a refusal')
    const text = render(
      { inputs: i, before: { live: blue, idle: green }, decision: 'refuse' },
      decision.error
    )
    expect(text).toContain('### ❌ Blue/green swap')
    expect(text).toContain(`Nothing was swapped: **BrillianCRM-blue** (\`v1\`) still holds \`${LIVE}\`.`)
    expect(text).toContain('**Why**')
    expect(text).toContain('**What to do**')
    expect(summaryFaults(text)).toEqual([])
  })

  it('a timeout mid-swap, a dry run, nothing to swap: each well formed', () => {
    const i = inputs()
    const timeout = render(
      { inputs: i, before: { live: blue, idle: green }, decision: 'swap' },
      new DeadlineReached('The timeout (1m) was reached while waiting for the swap.')
    )
    expect(timeout).toContain('### ⏱️ Blue/green swap')
    expect(timeout).toContain('The swap did not finish')
    const dry = render({
      inputs: inputs({ 'dry-run': 'true' }),
      before: { live: blue, idle: green },
      decision: 'swap'
    })
    expect(dry).toContain('### 📝 Blue/green swap')
    const none = render({ inputs: i, before: { live: green, idle: blue }, decision: 'already-live' })
    expect(none).toContain('Nothing to swap: **BrillianCRM-green** (`v2`) already holds')
    for (const text of [timeout, dry, none]) expect(summaryFaults(text)).toEqual([])
  })
})
