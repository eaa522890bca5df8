/**
 * swap-environments end to end: the real bundle (dist/swap-environments/index.js) run as the runner runs it,
 * against the AWS sandbox. The swap moves live-cname; a lost SwapEnvironmentCNAMEs reply is checked, never sent
 * twice; an idle environment that is unhealthy or runs another version is never swapped in; terminate acts only
 * after success; malformed inputs are refused before any call; nothing secret is printed. Waits that depend on
 * time (a swap under way, the DNS TTL, the heartbeat) run in process on a fake clock:
 * test/scenarios/swap-environments.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import {
  errorText,
  runBundle,
  sandboxesClosedAfterEach,
  type BundleRun,
  type Sandbox,
  type SandboxScenario
} from '../../sandbox/index.js'
import { APP, BLUE, GREEN, LIVE_HOST, IDLE_HOST, pairScenario } from '../helpers/swap-fixtures.js'

const sandbox = sandboxesClosedAfterEach()

/** Instant swaps and terminations: this layer is about wiring, not time. */
const quick = (more: Parameters<typeof pairScenario>[0] = {}): SandboxScenario =>
  pairScenario({ swapMs: 0, terminateMs: 0, ...more })

const SECRET = 'c2VjcmV0LWluLXRoZS1lbnZpcm9ubWVudA=='

async function swap(box: Sandbox, inputs: Record<string, string> = {}): Promise<BundleRun> {
  return await runBundle('swap-environments', {
    inputs: {
      'application-name': APP,
      'environment-name': `${BLUE} ${GREEN}`,
      'live-cname': 'brilliancrm',
      'wait-for-dns': 'false',
      timeout: '1m',
      ...inputs
    },
    env: { ...box.env, AWS_SESSION_TOKEN: SECRET }
  })
}

const holder = (box: Sandbox) => [BLUE, GREEN].find(name => box.environment(name)?.cname === LIVE_HOST)

describe('swap-environments (bundle)', () => {
  it('swaps: the idle one takes live-cname, the outputs and the summary say so', async () => {
    const box = await sandbox(quick())
    const run = await swap(box, { 'expect-version-label': 'v2' })
    expect(errorText(run)).toBe('')
    expect(run.code).toBe(0)
    expect(holder(box)).toBe(GREEN)
    expect(box.environment(BLUE)?.cname).toBe(IDLE_HOST)
    expect(run.outputs).toEqual({
      'live-environment-name': GREEN,
      'idle-environment-name': BLUE,
      swapped: 'true',
      'live-version-label': 'v2',
      'idle-version-label': 'v1'
    })
    expect(run.summary).toContain('### ✅ Blue/green swap')
    expect(run.summary).toContain(`The live CNAME \`${LIVE_HOST}\` now points to **${GREEN}** (\`v2\`)`)
    expect(run.stdout).toContain("Beanstalk's CNAME records have a TTL of 60 s")
    // each environment's events, in order
    const events = run.stdout.split('\n').filter(line => line.includes(' INFO  '))
    expect(
      events.filter(line => line.startsWith(GREEN)).map(line => line.slice(line.indexOf('INFO') + 6))
    ).toEqual([
      'swapEnvironmentCNAMEs is starting.',
      `Swapping CNAMEs for environments '${GREEN}' and '${BLUE}'.`,
      `Completed swapping CNAMEs for environments '${GREEN}' and '${BLUE}'.`,
      'swapEnvironmentCNAMEs completed successfully.'
    ])
    expect(events.filter(line => line.startsWith(BLUE))).toHaveLength(4)
    expect(box.mutatingCalls().map(c => c.operation)).toEqual(['SwapEnvironmentCNAMEs'])
    // the session token is masked (the runner's ::add-mask:: command) and printed nowhere else
    const log = run.stdout.split('\n').filter(line => !line.startsWith('::add-mask::'))
    expect(run.stdout).toContain(`::add-mask::${SECRET}`)
    expect([...log, run.stderr, run.summary, ...Object.values(run.outputs)].join('\n')).not.toContain(SECRET)
  })

  it('run again with the same inputs: the expected version is live already, nothing is swapped', async () => {
    const box = await sandbox(quick())
    expect((await swap(box, { 'expect-version-label': 'v2' })).code).toBe(0)
    const again = await swap(box, { 'expect-version-label': 'v2' })
    expect(again.code).toBe(0)
    expect(again.outputs.swapped).toBe('false')
    expect(again.outputs['live-environment-name']).toBe(GREEN)
    expect(holder(box)).toBe(GREEN)
    expect(box.calls('SwapEnvironmentCNAMEs')).toHaveLength(1)
    // and back: the old version is swapped in when asked for
    const back = await swap(box, { 'expect-version-label': 'v1' })
    expect(back.outputs).toMatchObject({ swapped: 'true', 'live-environment-name': BLUE })
    expect(holder(box)).toBe(BLUE)
  })

  it('a lost SwapEnvironmentCNAMEs reply: the pair is read, the swap had taken, it is not sent again', async () => {
    const box = await sandbox(quick({ faults: { lostReplies: { operations: ['SwapEnvironmentCNAMEs'] } } }))
    const run = await swap(box, { 'expect-version-label': 'v2' })
    expect(errorText(run)).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('the swap took effect; it is not sent again')
    expect(box.requests.filter(r => r.operation === 'SwapEnvironmentCNAMEs')).toHaveLength(1)
    expect(holder(box)).toBe(GREEN)
    expect(run.outputs.swapped).toBe('true')
  })

  it('an idle environment that is not healthy is never swapped in', async () => {
    const box = await sandbox(quick({ green: { health: 'Red' } }))
    const run = await swap(box)
    expect(run.code).toBe(1)
    expect(errorText(run)).toContain(`${GREEN} is Red, and required-health is Green`)
    expect(box.mutatingCalls()).toEqual([])
    expect(holder(box)).toBe(BLUE)
    expect(run.outputs).toMatchObject({ swapped: 'false', 'live-environment-name': BLUE })
    expect(run.summary).toContain('### ❌ Blue/green swap')
  })

  it('Yellow passes only with required-health: Yellow', async () => {
    const box = await sandbox(quick({ green: { health: 'Yellow' } }))
    expect((await swap(box)).code).toBe(1)
    expect((await swap(box, { 'required-health': 'yellow' })).code).toBe(0)
    expect(holder(box)).toBe(GREEN)
  })

  it('an idle environment that runs another version than expected is never swapped in', async () => {
    const box = await sandbox(quick())
    const run = await swap(box, { 'expect-version-label': 'v3' })
    expect(run.code).toBe(1)
    expect(errorText(run)).toContain(`${GREEN} runs v2, not v3`)
    expect(box.mutatingCalls()).toEqual([])
    expect(holder(box)).toBe(BLUE)
  })

  it('terminate: the old live one is terminated after the swap succeeded, and only then', async () => {
    const box = await sandbox(quick())
    const run = await swap(box, { 'expect-version-label': 'v2', 'idle-after-swap': 'terminate' })
    expect(errorText(run)).toBe('')
    expect(box.mutatingCalls().map(c => [c.operation, c.params.EnvironmentId ?? ''])).toEqual([
      ['SwapEnvironmentCNAMEs', ''],
      ['TerminateEnvironment', box.environment(BLUE)?.id]
    ])
    expect(box.environment(BLUE)?.status).toBe('Terminated')
    expect(box.environment(GREEN)).toMatchObject({ status: 'Ready', cname: LIVE_HOST })
    expect(run.outputs['idle-environment-name']).toBe(BLUE)
  })

  it('terminate with a lost TerminateEnvironment reply: it had taken, it is not sent again', async () => {
    const box = await sandbox(quick({ faults: { lostReplies: { operations: ['TerminateEnvironment'] } } }))
    const run = await swap(box, { 'expect-version-label': 'v2', 'idle-after-swap': 'terminate' })
    expect(errorText(run)).toBe('')
    expect(run.stdout).toContain('the termination took effect; it is not sent again')
    expect(box.requests.filter(r => r.operation === 'TerminateEnvironment')).toHaveLength(1)
    expect(box.environment(BLUE)?.status).toBe('Terminated')
  })

  it('terminate with a refused swap terminates nothing', async () => {
    const box = await sandbox(quick({ green: { health: 'Red' } }))
    const run = await swap(box, { 'idle-after-swap': 'terminate' })
    expect(run.code).toBe(1)
    expect(box.mutatingCalls()).toEqual([])
    expect(box.environment(GREEN)?.status).toBe('Ready')
  })

  it('dry-run: the plan, nothing changed', async () => {
    const box = await sandbox(quick())
    const run = await swap(box, { 'dry-run': 'true', 'idle-after-swap': 'terminate' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`Live:   ${BLUE} (v1, Ready, Green, ${LIVE_HOST})`)
    expect(run.stdout).toContain(`Swap:   SwapEnvironmentCNAMEs: ${GREEN} takes ${LIVE_HOST}`)
    expect(box.mutatingCalls()).toEqual([])
    expect(run.summary).toContain('Dry run')
  })

  it.each([
    ['application-name', '', "Input 'application-name' is empty"],
    ['environment-name', 'a b c', 'Input \'environment-name\' is "a b c"'],
    ['live-cname', 'brilliancrm.com', 'Input \'live-cname\' is "brilliancrm.com"'],
    ['live-cname', '', "Input 'live-cname' is empty: it is required"],
    ['expect-version-label', 'v1/x', "Input 'expect-version-label'"],
    ['required-health', 'Red', 'Input \'required-health\' is "Red"'],
    ['wait-for-dns', 'sometimes', "Input 'wait-for-dns'"],
    ['idle-after-swap', 'delete', 'Input \'idle-after-swap\' is "delete"'],
    ['timeout', 'soon', "Input 'timeout'"],
    ['region', 'Frankfurt', "Input 'region'"],
    ['dry-run', 'maybe', "Input 'dry-run'"]
  ])('malformed %s (%j) is refused before any call', async (input, value, message) => {
    const box = await sandbox(quick())
    const run = await swap(box, { [input]: value })
    expect(run.code).toBe(1)
    expect(errorText(run)).toContain(message)
    expect(box.requests).toEqual([])
  })

  it('neither of the pair holds live-cname: a clear error naming both, nothing changed', async () => {
    const box = await sandbox(quick())
    const run = await swap(box, { 'live-cname': 'brilliancrm-other' })
    expect(run.code).toBe(1)
    expect(errorText(run)).toContain(`${BLUE} (${LIVE_HOST}) and ${GREEN} (${IDLE_HOST})`)
    expect(box.mutatingCalls()).toEqual([])
  })
})
