/**
 * The reusable workflow's blue/green path, read from .github/workflows/deploy.yml: which steps of the deploy job run
 * (deploy to idle → check it on its own URL → swap → invalidate → live check → swap back on a failed live check →
 * terminate the idle one only at the very end), what each swap is given, and the scripts (the inputs check and the
 * failed-check report) run by bash as the runner runs them. The in-place paths: test/unit/workflows.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { load, ranSteps, runScript, scriptOf, simulateSteps, type Step } from '../helpers/workflow.js'

const workflow = load('.github/workflows/deploy.yml')
const app = {
  'application-name': 'BrillianCRM',
  'environment-name': 'BrillianCRM-env',
  'check-url': 'https://brilliancrm.com/',
  'cloudfront-domain': 'brilliancrm.com'
}
const blueGreen = { ...app, strategy: 'blue-green', 'live-cname': 'brilliancrm' }
const OUTPUTS = {
  deploy: {
    'version-label': 'v2',
    'previous-version-label': 'v0',
    'environment-url': 'http://brilliancrm-twin.eu-central-1.elasticbeanstalk.com',
    'live-environment-name': 'BrillianCRM-env',
    'idle-environment-name': 'BrillianCRM-env-twin'
  },
  swap: {
    swapped: 'true',
    'live-environment-name': 'BrillianCRM-env-twin',
    'idle-environment-name': 'BrillianCRM-env',
    'idle-version-label': 'v1'
  }
}
const MARKS = ['started', 'deployed', 'idle-checked', 'swapped', 'invalidated', 'checked', 'ended']

/** The deploy job's action steps that run (checkouts, credentials and time marks left out). */
function deployJob(inputs: Record<string, string | boolean>, failing: string[] = []) {
  const result = simulateSteps(workflow, 'deploy', inputs, { failing, outputs: OUTPUTS })
  return {
    job: result.job,
    steps: result.steps,
    ran: ranSteps(result.steps)
      .filter(key => !MARKS.includes(key))
      .slice(3)
  }
}

const step = (id: string): Step => {
  const found = (workflow.jobs.deploy.steps ?? []).find(s => s.id === id)
  if (!found) throw new Error(`no step ${id}`)
  return found
}

describe('deploy.yml, strategy: blue-green', () => {
  it('deploys to the idle one, checks it on its own URL, swaps, invalidates, checks the live site', () => {
    const result = deployJob(blueGreen)
    expect(result.ran).toEqual(['deploy', 'idle-site', 'swap', 'invalidate', 'site'])
    expect(result.job).toBe('success')
    expect(step('deploy').with).toMatchObject({
      strategy: '${{ inputs.strategy }}',
      'live-cname': '${{ inputs.live-cname }}'
    })
    // the idle environment's own URL, over plain HTTP (Beanstalk's port 80)
    expect(step('idle-site').with).toEqual({
      url: '${{ steps.deploy.outputs.environment-url }}/',
      'allow-http': 'true'
    })
    // swapped in only when it runs the version just deployed
    expect(step('swap').with).toEqual({
      'application-name': '${{ inputs.application-name }}',
      'environment-name': '${{ inputs.environment-name }}',
      'live-cname': '${{ inputs.live-cname }}',
      'expect-version-label': '${{ steps.deploy.outputs.version-label }}',
      'required-health': '${{ inputs.required-health }}',
      region: '${{ inputs.region }}',
      timeout: '${{ inputs.timeout }}'
    })
  })

  it('a failed check of the idle environment stops the release before the swap: the live one is untouched', () => {
    const result = deployJob(blueGreen, ['idle-site'])
    expect(result.ran).toEqual(['deploy', 'idle-site'])
    expect(result.job).toBe('failure')
    expect(result.steps['swap-back']).toBe('skipped')
  })

  it('a failed live check swaps back to the previous live environment, invalidates again, and fails, saying so', () => {
    const result = deployJob({ ...blueGreen, 'rollback-on-failure': true, 'idle-after-swap': 'terminate' }, [
      'site'
    ])
    expect(result.ran).toEqual([
      'deploy',
      'idle-site',
      'swap',
      'invalidate',
      'site',
      'swap-back',
      'Invalidate CloudFront again after the rollback',
      'Report the failed site check'
    ])
    expect(result.job).toBe('failure')
    // neither the in-place rollback nor the termination of the idle one (it is live again)
    expect([result.steps.rollback, result.steps.retire]).toEqual(['skipped', 'skipped'])
    expect(step('swap-back').with).toMatchObject({
      'expect-version-label': '${{ steps.swap.outputs.idle-version-label }}',
      'live-cname': '${{ inputs.live-cname }}'
    })
  })

  it('a failed swap is not swapped back (it did not swap) and nothing after it runs', () => {
    const result = deployJob(blueGreen, ['swap'])
    expect(result.ran).toEqual(['deploy', 'idle-site', 'swap'])
    expect(result.steps['swap-back']).toBe('skipped')
  })

  it('idle-after-swap: terminate acts last, only when every check passed, on the version found live', () => {
    const result = deployJob({ ...blueGreen, 'idle-after-swap': 'terminate' })
    expect(result.ran).toEqual(['deploy', 'idle-site', 'swap', 'invalidate', 'site', 'retire'])
    expect(step('retire').with).toMatchObject({
      'expect-version-label': '${{ steps.deploy.outputs.version-label }}',
      'idle-after-swap': 'terminate',
      'wait-for-dns': 'false'
    })
    for (const failing of ['idle-site', 'swap', 'invalidate', 'site']) {
      expect([
        failing,
        deployJob({ ...blueGreen, 'idle-after-swap': 'terminate' }, [failing]).steps.retire
      ]).toEqual([failing, 'skipped'])
    }
    // the swap itself never terminates: only the last step does
    expect(step('swap').with?.['idle-after-swap']).toBeUndefined()
  })

  it('a dry run and the in-place strategy run none of the blue/green steps', () => {
    for (const inputs of [
      { ...blueGreen, 'dry-run': true },
      { ...app, 'idle-after-swap': 'keep' }
    ]) {
      const { steps } = deployJob(inputs)
      expect([steps['idle-site'], steps.swap, steps['swap-back'], steps.retire]).toEqual([
        'skipped',
        'skipped',
        'skipped',
        'skipped'
      ])
    }
  })
})

describe('the inputs script (check job): strategy, live-cname, idle-after-swap', () => {
  const run = (env: Record<string, string>) =>
    runScript(scriptOf(workflow, 'check', 'inputs'), {
      CALLER_REPOSITORY: 'imbit/BrillianCRM',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      ROLE_ARN: 'arn:aws:iam::123456789012:role/github-deploy',
      PLATFORMS: 'linux/amd64',
      ENVIRONMENT_NAME: 'BrillianCRM-env',
      DRY_RUN: 'false',
      ...env
    })
  const titles = async (env: Record<string, string>) =>
    (await run(env)).annotations.map(a => `${a.title}: ${a.message}`)

  it('takes blue-green with a live CNAME, with keep or terminate', async () => {
    for (const after of ['keep', 'terminate']) {
      const result = await run({ STRATEGY: 'blue-green', LIVE_CNAME: 'brilliancrm', IDLE_AFTER_SWAP: after })
      expect(result.annotations).toEqual([])
      expect(result.status).toBe(0)
    }
  })

  it.each([
    [
      { STRATEGY: 'blue-green', LIVE_CNAME: '' },
      'deploy.yml input live-cname: is required with strategy blue-green'
    ],
    [
      { STRATEGY: 'in-place', LIVE_CNAME: 'brilliancrm' },
      'deploy.yml input live-cname: is set, but strategy is in-place'
    ],
    [
      { STRATEGY: 'in-place', IDLE_AFTER_SWAP: 'terminate' },
      'deploy.yml input idle-after-swap: is "terminate", but strategy is in-place'
    ],
    [
      { STRATEGY: 'blue-green', LIVE_CNAME: 'x1234', IDLE_AFTER_SWAP: 'delete' },
      'deploy.yml input idle-after-swap: "delete" is not keep or terminate'
    ],
    [
      { STRATEGY: 'bluegreen' },
      'deploy.yml input strategy: "bluegreen" is not a strategy: use in-place or blue-green'
    ]
  ])('refuses %j before anything is built', async (env, message) => {
    expect(await titles(env)).toEqual([expect.stringContaining(message)])
    expect((await run(env)).status).toBe(1)
  })
})

describe('the failed site check report (deploy job), blue-green', () => {
  const run = (env: Record<string, string>) =>
    runScript(scriptOf(workflow, 'deploy', 'Report the failed site check'), {
      ENVIRONMENT: 'BrillianCRM-env',
      LABEL: 'v2',
      PREVIOUS: 'v0',
      ROLLBACK_ASKED: 'false',
      SITE_URL: 'https://brilliancrm.com/',
      SITE_STATUS: '502',
      STRATEGY: 'blue-green',
      RELEASED_TO: 'BrillianCRM-env-twin',
      PREVIOUS_LIVE_VERSION: 'v1',
      ...env
    })

  it.each([
    [
      'swapped back',
      { SWAPPED_BACK: 'success', LIVE_NOW: 'BrillianCRM-env' },
      'Swapped back: BrillianCRM-env holds the live CNAME again, running v1.'
    ],
    ['the swap back failed', { SWAPPED_BACK: 'failure' }, 'The swap back failed too'],
    ['no swap back', { SWAPPED_BACK: 'skipped' }, 'No swap back: the swap had not happened.']
  ])('fails the run saying the live check failed after the swap, %s', async (_, env, outcome) => {
    const result = await run(env)
    expect(result.status).toBe(1)
    expect(result.annotations).toHaveLength(1)
    expect(result.annotations[0].message).toContain(
      'The live site check failed after the swap to BrillianCRM-env-twin (v2; https://brilliancrm.com/ answered 502'
    )
    expect(result.annotations[0].message).toContain(outcome)
    expect(result.summary).toContain(outcome)
  })
})
