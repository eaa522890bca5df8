/**
 * deploy-beanstalk's job summary (src/deploy-beanstalk/summary.ts), pure: the headline for each way a run ends,
 * Why and What to do on a failure, each message once, only facts with a value, the long parts collapsed.
 */
import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import { renderSummary } from '../../src/common/summary.js'
import type { EnvironmentInfo } from '../../src/deploy-beanstalk/aws/beanstalk.js'
import { INPUT_NAMES, parseInputs, type RawInputs } from '../../src/deploy-beanstalk/inputs.js'
import { makePlan } from '../../src/deploy-beanstalk/plan.js'
import type { DeployRun } from '../../src/deploy-beanstalk/report.js'
import { deploySummary, type Ending } from '../../src/deploy-beanstalk/summary.js'
import type { UpdateOutcome } from '../../src/deploy-beanstalk/update/index.js'
import { layoutFaults, summaryFaults } from '../helpers/summary-lint.js'

const inputs = (over: Partial<RawInputs> = {}) =>
  parseInputs(
    {
      ...(Object.fromEntries(INPUT_NAMES.map(n => [n, ''])) as RawInputs),
      'application-name': 'BrillianCRM',
      'environment-name': 'BrillianCRM-env',
      ...over
    },
    { AWS_REGION: 'eu-central-1' }
  )
const before: EnvironmentInfo = {
  name: 'BrillianCRM-env',
  id: 'e-abc1234567',
  application: 'BrillianCRM',
  status: 'Ready',
  health: 'Green',
  versionLabel: 'v-old',
  cname: 'crm.eu-central-1.elasticbeanstalk.com'
}
const LABEL = 'd6cd1e2-5e43aa61'
const bundle = { path: '/tmp/b.zip', sha256: '5e43aa61'.repeat(8), size: 2048, temporary: true }

function runOf(over: Partial<RawInputs> = {}, facts: Partial<DeployRun> = {}): DeployRun {
  const given = inputs(over)
  const plan = makePlan({ inputs: given, environment: before, label: LABEL, description: 'Fix', bundle })
  return { started: 0, inputs: given, plan, events: [], created: true, requested: true, ...facts }
}

function render(run: DeployRun, end: Partial<Ending>): string {
  const ending: Ending = { result: 'deployed', error: undefined, labelled: true, durationMs: 10_000, ...end }
  const layout = deploySummary(run, ending)
  if (!layout) throw new Error('no summary')
  return renderSummary(layout)
}

/** A well-formed summary in the layout; returns it for the checks of its content. */
function checked(text: string): string {
  expect([...summaryFaults(text), ...layoutFaults(text)]).toEqual([])
  return text
}

const failedUpdate = (over: Partial<UpdateOutcome>): UpdateOutcome => ({
  result: 'failed',
  events: [
    { date: new Date(0), severity: 'ERROR', message: 'Instance deployment failed.' },
    { date: new Date(0), severity: 'ERROR', message: 'Failed to deploy application.' }
  ],
  reason: 'the annotation',
  why: [
    `Deploying ${LABEL} to BrillianCRM-env failed: Failed to deploy application.`,
    'Instance deployment failed.'
  ],
  ...over
})

describe('deploy-beanstalk summary', () => {
  it('deployed: what runs where, its health, after how long, what ran before; only facts with a value', () => {
    const run = runOf(
      {},
      { update: { result: 'deployed', events: [], environment: { ...before, versionLabel: LABEL } } }
    )
    const text = checked(render(run, { environment: run.update?.environment }))
    expect(text).toMatch(
      new RegExp(
        `^### ✅ Elastic Beanstalk\\n\\n\`${LABEL}\` runs on BrillianCRM-env, Green, after 10s — previously \`v-old\`\\.\\n\\n\\| Fact \\| Value \\|`
      )
    )
    expect(text).toContain(
      '| URL | [http://crm.eu-central-1.elasticbeanstalk.com](http://crm.eu-central-1.elasticbeanstalk.com) |'
    )
    expect(text).not.toMatch(/Promoted from|Configuration|Versions deleted|Rollback|\*\*Why\*\*|\| — \|/)
  })

  it('a failed update: Beanstalk’s messages under Why (the headline’s words not again), the fix, the events collapsed', () => {
    const run = runOf({}, { update: failedUpdate({ environment: before }) })
    const error = new UserError('the annotation', { title: 'Deployment failed' })
    const text = checked(render(run, { result: 'failed', error, environment: before, durationMs: 42_000 }))
    expect(text).toContain(
      `Deploying \`${LABEL}\` to BrillianCRM-env failed after 42s; BrillianCRM-env runs \`v-old\`, Green.\n\n**Why**\n\n- Failed to deploy application.\n- Instance deployment failed.\n\n**What to do**\n\nFind the cause in Beanstalk's events (below)`
    )
    expect(text).toContain('<details><summary>Beanstalk events (2)</summary>')
  })

  it('a failed update that left the new version running, without rollback: how to bring the previous one back', () => {
    const broken = { ...before, versionLabel: LABEL, health: 'Red' }
    const run = runOf({}, { update: failedUpdate({ environment: broken }) })
    const text = checked(render(run, { result: 'failed', error: new UserError('x'), environment: broken }))
    expect(text).toContain(`BrillianCRM-env runs \`${LABEL}\`, Red.`)
    expect(text).toContain('deploy it with `version-label: v-old` (or set `rollback-on-failure: true`).')
  })

  it('rolled back: the headline says the previous version runs again; the rollback’s result once, in its row', () => {
    const rollback = {
      result: 'succeeded' as const,
      label: 'v-old',
      detail: 'rolled back to v-old: Ready on v-old, health Green.',
      environment: before
    }
    const run = runOf(
      { 'rollback-on-failure': 'true' },
      { update: failedUpdate({ environment: before, rollback }) }
    )
    const text = checked(render(run, { result: 'failed', error: new UserError('x'), environment: before }))
    expect(text).toContain('; BrillianCRM-env runs `v-old` again after the rollback, Green.')
    expect(text.match(/rolled back to v-old/g)).toHaveLength(1)
    expect(text).toContain('| Rollback | rolled back to v-old: Ready on v-old, health Green. |')
  })

  it('a rollback that failed is part of the Why, not a row', () => {
    const rollback = {
      result: 'failed' as const,
      label: 'v-old',
      detail: 'rolling back to v-old failed too: Red.'
    }
    const run = runOf(
      { 'rollback-on-failure': 'true' },
      { update: failedUpdate({ environment: before, rollback }) }
    )
    const text = checked(render(run, { result: 'failed', error: new UserError('x'), environment: before }))
    expect(text).toContain('- Rollback: rolling back to v-old failed too: Red.')
    expect(text).not.toContain('| Rollback |')
  })

  it('replaced by another deploy: the update’s own fix (one concurrency group) is What to do', () => {
    const run = runOf(
      {},
      {
        update: failedUpdate({
          environment: before,
          fix: 'Give the workflows one concurrency group per environment.'
        })
      }
    )
    const text = checked(render(run, { result: 'failed', error: new UserError('x'), environment: before }))
    expect(text).toContain('**What to do**\n\nGive the workflows one concurrency group per environment.')
  })

  it('timed out: the update may still be running, where things stand, and the timeout to raise', () => {
    const updating = { ...before, status: 'Updating', health: 'Grey' }
    const run = runOf(
      { timeout: '15m' },
      {
        update: {
          result: 'timed-out',
          events: [],
          environment: updating,
          why: ['BrillianCRM-env did not reach Ready.']
        }
      }
    )
    const error = new UserError('x', { input: 'timeout' })
    const text = checked(render(run, { result: 'timed-out', error, environment: updating }))
    expect(text).toMatch(/^### ⏱️ Elastic Beanstalk\n/)
    expect(text).toContain(
      `Deploying \`${LABEL}\` to BrillianCRM-env did not finish within the timeout (15m) and may still be running; BrillianCRM-env is Updating, running \`v-old\`.`
    )
    expect(text).toContain('if it needs longer than 15m, raise timeout.')
  })

  it('dry run and not waited for: what would happen, what is under way', () => {
    const dry = checked(
      render(runOf({ 'dry-run': 'true' }, { created: false, requested: false }), { result: 'dry-run' })
    )
    expect(dry).toMatch(
      new RegExp(
        `^### 📝 Elastic Beanstalk\\n\\nDry run: \`${LABEL}\` would be deployed to BrillianCRM-env, which runs \`v-old\`; nothing was changed\\.`
      )
    )
    expect(dry).not.toContain('| Health |')
    const requested = checked(render(runOf({ wait: 'false' }), { result: 'requested', environment: before }))
    expect(requested).toContain(
      `\`${LABEL}\` is being deployed to BrillianCRM-env (not waited for: \`wait: false\`) — previously \`v-old\`.`
    )
  })

  it('stopped before the plan: nothing deployed, nothing changed, the error as Why, its fix as What to do', () => {
    const given = inputs()
    const error = Object.assign(
      new Error('User is not authorized to perform: elasticbeanstalk:DescribeEnvironments'),
      {
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 }
      }
    )
    const text = checked(
      render({ started: 0, inputs: given, events: [] }, { result: 'failed', error, labelled: false })
    )
    expect(text).toContain(
      'Nothing was deployed to BrillianCRM-env: the run stopped before the deploy, and nothing was changed in Beanstalk.\n\n**Why**\n\nAWS permission missing: '
    )
    expect(text).toContain('**What to do**\n\nAdd elasticbeanstalk:DescribeEnvironments to the role')
    expect(text).not.toContain('| Running version |')
  })

  it('no summary when the inputs were refused', () => {
    expect(
      deploySummary(
        { started: 0, events: [] },
        { result: 'failed', error: new Error('x'), labelled: false, durationMs: 0 }
      )
    ).toBeUndefined()
  })
})
