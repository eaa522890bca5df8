/**
 * The release summary of deploy.yml (the `summary` job), over the real YAML: it runs on every outcome, with no
 * token, checkout or secret; the jobs expose what it reads (step outcomes, outputs, time marks) as job outputs
 * that exist; and its real script, given what GitHub would give it for a run (each job's outputs evaluated from
 * the job's `outputs:` expressions over the steps that ran, then the step's `env:` expressions), writes one
 * well-formed Markdown summary per outcome: a success, a failed check, build, pull check or deploy, a failed site
 * check with its rollback, a cancellation, a redeploy, a promotion and a dry run.
 */
import { describe, expect, it } from '@jest/globals'
import {
  evaluate,
  load,
  needsOf,
  ran,
  runScript,
  scriptOf,
  simulate,
  simulateSteps,
  stepKey,
  type Context,
  type Result,
  type Value,
  type Workflow
} from '../helpers/workflow.js'

const workflow: Workflow = load('.github/workflows/deploy.yml')
const summaryJob = workflow.jobs.summary
const summaryStep = (summaryJob.steps ?? [])[0]
const script = scriptOf(workflow, 'summary', 'Release summary')
const declared = (workflow.on.workflow_call as { inputs: Record<string, { default?: string | boolean }> })
  .inputs
const app = { 'application-name': 'BrillianCRM', 'environment-name': 'BrillianCRM-env' }
type Inputs = Record<string, string | boolean>

/** A template with `${{ }}` expressions, evaluated as GitHub does (null and false as '' and 'false'). */
function interpolate(template: string, lookup: (path: string) => Value): string {
  const context: Context = { status: { success: true, failure: false, cancelled: false }, lookup }
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => {
    const value = evaluate(expression, context)
    return value === null ? '' : String(value)
  })
}

const inputValue = (inputs: Inputs, name: string): Value => {
  if (!(name in declared)) throw new Error(`unknown input ${name}`)
  return inputs[name] ?? declared[name].default ?? ''
}

// ---------------------------------------------------------------------------------------------------------------
// A run, as GitHub would give it to the summary job
// ---------------------------------------------------------------------------------------------------------------
interface JobRun {
  result: Result
  outputs: Record<string, string>
}

/** What each step of ours would output when it runs (the actions' outputs, the inputs script's, the marks'). */
const STEP_OUTPUTS: Record<string, Record<string, Record<string, string>>> = {
  check: {
    inputs: { repository: 'ghcr.io/imbit/brilliancrm', image: 'ghcr.io/imbit/brilliancrm:sha-1234' },
    self: { repository: 'imbit/actions', sha: '0123456789abcdef0123456789abcdef01234567' },
    package: { visibility: 'public', pullable: 'true' }
  },
  build: {
    image: { image: `ghcr.io/imbit/brilliancrm@sha256:${'ab'.repeat(32)}` },
    pull: { visibility: 'public', pullable: 'true', digest: `sha256:${'ab'.repeat(32)}` }
  },
  deploy: {
    deploy: {
      'version-label': 'd6cd1e2-5e43aa61',
      'previous-version-label': 'v-old',
      'environment-url': 'http://brilliancrm.eu-central-1.elasticbeanstalk.com',
      'environment-id': 'e-abcd123456',
      health: 'Green',
      deployed: 'true'
    },
    invalidate: { 'invalidation-id': 'I2J0I21PCUYOIK', 'distribution-id': 'E1ABCDEF', status: 'Completed' },
    site: { status: '200', url: 'https://brilliancrm.com/', ok: 'true', 'duration-ms': '1200' },
    rollback: { 'version-label': 'v-old', health: 'Green', deployed: 'true' },
    // blue-green (strategy: blue-green): the idle one checked on its own URL, the swaps, the idle one terminated
    'idle-site': {
      status: '200',
      url: 'http://brilliancrm-twin.eu-central-1.elasticbeanstalk.com/',
      ok: 'true'
    },
    swap: {
      swapped: 'true',
      'live-environment-name': 'BrillianCRM-env-twin',
      'idle-environment-name': 'BrillianCRM-env',
      'idle-version-label': 'v-old'
    },
    'swap-back': {
      swapped: 'true',
      'live-environment-name': 'BrillianCRM-env',
      'idle-environment-name': 'BrillianCRM-env-twin'
    },
    retire: {
      swapped: 'false',
      'live-environment-name': 'BrillianCRM-env-twin',
      'idle-environment-name': 'BrillianCRM-env'
    }
  }
}

/** The time marks (Unix seconds) each job's mark steps record when they run. */
const MARKS: Record<string, Record<string, number>> = {
  check: { started: 1000, ended: 1012 },
  build: { started: 1020, pushed: 1208, ended: 1228 },
  deploy: {
    started: 1300,
    deployed: 1540,
    'idle-checked': 1550,
    swapped: 1575,
    invalidated: 1600,
    checked: 1630,
    ended: 1800
  }
}

interface Scenario {
  inputs?: Inputs
  /** Steps that fail, per job (a job fails when a step without continue-on-error does). */
  failing?: Record<string, string[]>
  /** Step outputs different from STEP_OUTPUTS, per job and step. */
  outputs?: Record<string, Record<string, Record<string, string>>>
  /** A step that was running when the run was cancelled (its job ends cancelled; nothing runs after it). */
  cancelled?: { job: string; step: string }
}

/**
 * One job as it would end: its steps simulated with their `if:` conditions (a failing step fails the job; on a
 * cancellation only `always()` steps run after the step cancelled), then its `outputs:` expressions evaluated over
 * the steps that ran.
 */
function runJob(name: string, inputs: Inputs, scenario: Scenario): JobRun {
  const job = workflow.jobs[name]
  const given = { ...STEP_OUTPUTS[name], ...scenario.outputs?.[name] }
  const cancelled = scenario.cancelled?.job === name ? scenario.cancelled.step : undefined
  const failing = [...(scenario.failing?.[name] ?? []), ...(cancelled ? [cancelled] : [])]
  const simulated = simulateSteps(workflow, name, inputs, { failing, outputs: given })
  const outcomes: Record<string, string> = {}
  let after = false
  for (const step of job.steps ?? []) {
    const key = stepKey(step)
    let outcome: string = simulated.steps[key]
    if (cancelled) {
      // cancelled: the running step ends cancelled; after it only the steps that ask for always() run
      if (key === cancelled) outcome = 'cancelled'
      else if (after) outcome = /\balways\(\)/.test(step.if ?? '') ? 'success' : 'skipped'
      if (key === cancelled) after = true
    }
    if (step.id) outcomes[step.id] = outcome
  }
  const stepOutputs = (id: string): Record<string, string> => {
    if (outcomes[id] !== 'success' && outcomes[id] !== 'failure') return {}
    const mark = MARKS[name]?.[id]
    return mark === undefined ? (given[id] ?? {}) : { at: String(mark) }
  }
  const outputs = Object.fromEntries(
    Object.entries(job.outputs ?? {}).map(([key, template]) => [
      key,
      interpolate(template, path => {
        const [scope, id, field, output] = path.split('.')
        if (scope === 'steps' && field === 'outcome') return outcomes[id] ?? ''
        if (scope === 'steps' && field === 'outputs') return stepOutputs(id)[output] ?? ''
        throw new Error(`job ${name} output ${key}: unsupported reference ${path}`)
      })
    ])
  )
  const result: Result = cancelled ? 'cancelled' : simulated.job
  return { result, outputs }
}

/** The whole run: the jobs in order (a job that does not run has no outputs), then the summary step's env. */
function runOf(scenario: Scenario): { jobs: Record<string, Result>; env: Record<string, string> } {
  const inputs = { ...app, ...scenario.inputs }
  const failedJobs = Object.entries(scenario.failing ?? {})
    .filter(([job, steps]) => {
      // a job fails when a failing step of it runs without continue-on-error
      const simulated = simulateSteps(workflow, job, inputs, { failing: steps })
      return simulated.job === 'failure'
    })
    .map(([job]) => job)
  const planned = simulate(workflow, inputs, { failing: failedJobs })
  const jobs: Record<string, JobRun> = {}
  let stopped = false
  for (const name of ['check', 'build', 'deploy']) {
    if (planned[name] === 'skipped' || stopped) {
      jobs[name] = { result: 'skipped', outputs: {} }
      continue
    }
    jobs[name] = runJob(name, inputs, scenario)
    if (jobs[name].result === 'cancelled') stopped = true
  }
  const env = Object.fromEntries(
    Object.entries(summaryStep.env ?? {}).map(([key, template]) => [
      key,
      interpolate(String(template), path => {
        const [scope, name, field, output] = path.split('.')
        if (scope === 'inputs') return inputValue(inputs, name)
        if (path === 'github.server_url') return 'https://github.com'
        if (scope === 'needs' && field === 'result') return jobs[name].result
        if (scope === 'needs' && field === 'outputs') return jobs[name].outputs[output] ?? ''
        throw new Error(`summary env ${key}: unsupported reference ${path}`)
      })
    ])
  )
  return { jobs: Object.fromEntries(Object.entries(jobs).map(([k, v]) => [k, v.result])), env }
}

/** The summary's parts: heading, paragraphs, the Why, the table (headings and rows of cells). */
function parseSummary(markdown: string) {
  const blocks = markdown.trim().split(/\n{2,}/)
  const tableBlock = blocks.find(b => b.startsWith('|')) ?? ''
  const cells = (line: string) =>
    line
      .replace(/^\|\s*|\s*\|$/g, '')
      .split(/\s*(?<!\\)\|\s*/)
      .map(c => c.trim())
  const [head = '', rule = '', ...rows] = tableBlock.split('\n')
  const whyAt = blocks.indexOf('**Why**')
  return {
    heading: blocks[0],
    headline: blocks[1],
    why: whyAt >= 0 ? blocks[whyAt + 1] : undefined,
    headings: cells(head),
    rule,
    rows: rows.map(cells),
    row: (stage: string) => {
      const found = rows.map(cells).find(r => r[0] === stage)
      if (!found) throw new Error(`no row ${stage} in:\n${markdown}`)
      return { result: found[1], duration: found[2], link: found[3] }
    },
    stages: rows.map(r => cells(r)[0]),
    blocks
  }
}

/** Well formed: a heading, a headline, a table with real headings, every row a value, no message twice. */
function expectWellFormed(markdown: string): ReturnType<typeof parseSummary> {
  const summary = parseSummary(markdown)
  expect(summary.heading).toMatch(/^### (✅|❌|⏹️|📝) Release$/)
  expect(summary.headline).toMatch(/^\S.*[.]$/)
  expect(summary.headline).not.toContain('\n')
  expect(summary.headings).toEqual(['Stage', 'Result', 'Duration', 'Link'])
  expect(summary.rule).toBe('|---|---|---|---|')
  expect(summary.rows.length).toBeGreaterThanOrEqual(4)
  for (const row of summary.rows) {
    expect(row).toHaveLength(4)
    expect(row[0]).not.toBe('')
    expect(row[1]).toMatch(/^(✅|❌|⏹️|⏭️|➖) \S/)
    expect(row[2]).toMatch(/^(—|(\d+h )?(\d+m )?\d+s|\d+h|(\d+h )?\d+m)$/)
    expect(row[3]).not.toBe('')
  }
  // each stage once, and no message twice: the headline, the Why and every cell differ
  expect(new Set(summary.stages).size).toBe(summary.stages.length)
  const messages = [summary.headline, summary.why, ...summary.rows.flatMap(r => r.slice(1))].filter(
    (m): m is string => m !== undefined && m.length >= 24
  )
  expect(new Set(messages).size).toBe(messages.length)
  if (summary.why) expect(summary.headline).not.toContain(summary.why)
  if (summary.why) expect(summary.why).not.toContain('\n')
  expect(summary.blocks.length).toBe(summary.why ? 5 : 3)
  return summary
}

async function summaryOf(scenario: Scenario) {
  const { jobs, env } = runOf(scenario)
  const result = await runScript(script, env)
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  return {
    jobs,
    env,
    markdown: result.summary,
    log: result.stdout,
    summary: expectWellFormed(result.summary)
  }
}

const site = { 'cloudfront-domain': 'brilliancrm.com', 'check-url': 'https://brilliancrm.com/' }

// ---------------------------------------------------------------------------------------------------------------
describe('the summary job of deploy.yml', () => {
  it('needs every job, runs whatever the outcome, with no permission, checkout, secret or action', () => {
    const others = Object.keys(workflow.jobs).filter(name => name !== 'summary')
    expect(needsOf(summaryJob).sort()).toEqual(others.sort())
    expect(summaryJob.if).toBe('always()')
    expect(summaryJob.permissions).toEqual({})
    expect(summaryJob.steps).toHaveLength(1)
    expect(summaryStep.uses).toBeUndefined()
    expect(JSON.stringify(summaryJob)).not.toMatch(/secrets\.|github\.token|actions\/checkout/)
  })

  it('takes everything through env:, never an expression inside run: (template injection)', () => {
    expect(script).not.toContain('${{')
    for (const value of Object.values(summaryStep.env ?? {})) {
      expect(String(value)).toMatch(
        /^(\$\{\{ (inputs\.[\w-]+|needs\.(check|build|deploy)\.(result|outputs\.[\w-]+)|github\.server_url) \}\})+$/
      )
    }
  })

  it('reads only job outputs that exist, each mapped to a step that exists', () => {
    for (const value of Object.values(summaryStep.env ?? {})) {
      for (const [, job, output] of String(value).matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        expect([job, output, workflow.jobs[job].outputs?.[output]]).toEqual([job, output, expect.any(String)])
      }
    }
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const value of Object.values(job.outputs ?? {})) {
        for (const [, id] of value.matchAll(/steps\.([\w-]+)\.(outputs|outcome)/g)) {
          expect([name, id, job.steps?.some(s => s.id === id)]).toEqual([name, id, true])
        }
      }
    }
  })

  it.each<[string, Inputs, { failing?: string[]; cancelled?: boolean }]>([
    ['a success', {}, {}],
    ['a failed check', {}, { failing: ['check'] }],
    ['a failed build', {}, { failing: ['build'] }],
    ['a failed deploy', {}, { failing: ['deploy'] }],
    ['a cancelled run', {}, { cancelled: true }],
    ['a redeploy (build skipped)', { 'version-label': 'v7' }, {}],
    ['a dry run (build skipped)', { 'dry-run': true }, {}],
    ['a cancelled redeploy', { 'version-label': 'v7' }, { cancelled: true }]
  ])('runs after %s', (_, inputs, options) => {
    const results = simulate(workflow, { ...app, ...inputs }, options)
    expect(ran(results)).toContain('summary')
  })

  describe('the time marks', () => {
    const marks = Object.fromEntries(
      Object.entries(workflow.jobs).map(([name, job]) => [
        name,
        (job.steps ?? []).filter(s => s.run?.trim() === 'echo "at=$(date +%s)" >> "$GITHUB_OUTPUT"')
      ])
    )

    it('start each job and follow each stage, and run after a failure (always())', () => {
      const ids = (job: string) => (workflow.jobs[job].steps ?? []).map(s => s.id ?? stepKey(s))
      for (const job of ['check', 'build', 'deploy']) {
        expect(ids(job)[0]).toBe('started')
        expect(marks[job].slice(1).every(s => s.if === 'always()')).toBe(true)
      }
      expect(ids('check').at(-1)).toBe('ended')
      expect(ids('build').at(-1)).toBe('ended')
      const next = (job: string, id: string) => ids(job)[ids(job).indexOf(id) + 1]
      expect(next('build', 'image')).toBe('pushed')
      expect(next('deploy', 'deploy')).toBe('deployed')
      expect(next('deploy', 'invalidate')).toBe('invalidated')
      expect(next('deploy', 'site')).toBe('checked')
      expect(ids('deploy').indexOf('ended')).toBeGreaterThan(ids('deploy').indexOf('rollback'))
      // every mark after a failure: the deploy failed, each later mark still runs
      const failed = simulateSteps(workflow, 'deploy', { ...app, ...site }, { failing: ['deploy'] })
      expect(failed.steps).toMatchObject({
        deployed: 'success',
        invalidate: 'skipped',
        invalidated: 'success',
        checked: 'success',
        ended: 'success'
      })
    })

    it('record the time in Unix seconds', async () => {
      const result = await runScript(marks.deploy[0].run ?? '', {})
      expect(result.status).toBe(0)
      const at = Number(result.outputs.at)
      expect(Math.abs(at - Date.now() / 1000)).toBeLessThan(5)
    })
  })
})

describe('the release summary script', () => {
  it('on a success: what runs where, after how long, and every stage with its duration and link', async () => {
    const { summary, log } = await summaryOf({ inputs: site })
    expect(summary.heading).toBe('### ✅ Release')
    expect(summary.headline).toBe(
      '`d6cd1e2-5e43aa61` runs on BrillianCRM-env, Green, released in 13m 20s — previously `v-old`.'
    )
    expect(summary.why).toBeUndefined()
    expect(summary.stages).toEqual([
      'Check',
      'Build & push',
      'Verify (anonymous pull)',
      'Deploy',
      'Invalidate CloudFront',
      'Site check'
    ])
    expect(summary.row('Check')).toEqual({
      result: '✅ Passed',
      duration: '12s',
      link: '[imbit/actions@0123456](https://github.com/imbit/actions/commit/0123456789abcdef0123456789abcdef01234567)'
    })
    expect(summary.row('Build & push')).toEqual({
      result: '✅ Pushed',
      duration: '3m 8s',
      link: `\`ghcr.io/imbit/brilliancrm@sha256:${'ab'.repeat(32)}\``
    })
    expect(summary.row('Verify (anonymous pull)')).toEqual({
      result: '✅ Pullable',
      duration: '20s',
      link: '—'
    })
    expect(summary.row('Deploy')).toEqual({
      result: '✅ Deployed, Green',
      duration: '4m',
      link: '[BrillianCRM-env](https://eu-central-1.console.aws.amazon.com/elasticbeanstalk/home?region=eu-central-1#/environment/dashboard?environmentId=e-abcd123456)'
    })
    expect(summary.row('Invalidate CloudFront')).toEqual({
      result: '✅ Completed',
      duration: '1m',
      link: '[I2J0I21PCUYOIK](https://us-east-1.console.aws.amazon.com/cloudfront/v4/home?region=us-east-1#/distributions/E1ABCDEF/invalidations/details/I2J0I21PCUYOIK)'
    })
    expect(summary.row('Site check')).toEqual({
      result: '✅ 200',
      duration: '30s',
      link: '[https://brilliancrm.com/](https://brilliancrm.com/)'
    })
    expect(log).toContain(summary.headline)
  })

  it('leaves out the invalidation and the site check when the run has none', async () => {
    const { summary } = await summaryOf({})
    expect(summary.stages).toEqual(['Check', 'Build & push', 'Verify (anonymous pull)', 'Deploy'])
  })

  it('on a failed build: nothing deployed, the build’s why, the later stages not run', async () => {
    const { jobs, summary } = await summaryOf({ inputs: site, failing: { build: ['push'] } })
    expect(jobs).toEqual({ check: 'success', build: 'failure', deploy: 'skipped' })
    expect(summary.heading).toBe('### ❌ Release')
    expect(summary.headline).toBe(
      'Nothing was deployed: the build failed, and BrillianCRM-env was not changed.'
    )
    expect(summary.why).toBe(
      "The image was not built or not pushed: docker's error is in the build job's log."
    )
    expect(summary.row('Build & push')).toEqual({ result: '❌ Failed', duration: '3m 8s', link: '—' })
    for (const stage of ['Verify (anonymous pull)', 'Deploy', 'Invalidate CloudFront', 'Site check'])
      expect(summary.row(stage)).toEqual({ result: '➖ Not run', duration: '—', link: '—' })
  })

  it('on a package still private after the push: the pull check’s why', async () => {
    const { summary } = await summaryOf({
      failing: { build: ['pull'] },
      outputs: { build: { pull: { visibility: 'private', pullable: 'false' } } }
    })
    expect(summary.headline).toBe(
      'Nothing was deployed: Beanstalk could not pull the image, and BrillianCRM-env was not changed.'
    )
    expect(summary.why).toBe(
      "ghcr.io/imbit/brilliancrm is private on GitHub, so Beanstalk cannot pull it: make it public (the link is in the build job's summary), then re-run."
    )
    expect(summary.row('Build & push').result).toBe('✅ Pushed')
    expect(summary.row('Verify (anonymous pull)')).toEqual({
      result: '❌ Failed',
      duration: '20s',
      link: '—'
    })
  })

  it('on an image missing a platform: says so', async () => {
    const { summary } = await summaryOf({
      inputs: { platforms: 'linux/arm64' },
      failing: { build: ['pull'] }
    })
    expect(summary.why).toContain('does not serve every platform it was built for (linux/arm64)')
  })

  it.each<[string, Scenario, string]>([
    [
      'an invalid input',
      { failing: { check: ['inputs'] } },
      "An input is not valid: the check job's errors name each one and its fix."
    ],
    [
      'a private package',
      {
        failing: { check: ['Fail early on a private package'] },
        outputs: { check: { package: { visibility: 'private' } } }
      },
      'ghcr.io/imbit/brilliancrm is private on GitHub, and Beanstalk pulls without credentials: make the package public, then re-run.'
    ],
    [
      'a wrong name, checked against AWS with the read-only role',
      {
        inputs: { 'aws-read-only-role-arn': 'arn:aws:iam::123456789012:role/read-only' },
        failing: { check: ['Check against AWS (deploy-beanstalk dry run)'] }
      },
      "A check against AWS failed (a name, the compose file, the version, the promotion's source or the deploy role's trust): the check job's errors say which, and how to fix it."
    ],
    [
      'another step',
      { failing: { check: ["Check out imbit/actions at this workflow's commit"] } },
      'The check job failed: its log says where.'
    ]
  ])('on a failed check (%s): its why, nothing built or deployed', async (_, scenario, why) => {
    const { jobs, summary } = await summaryOf(scenario)
    expect(jobs).toEqual({ check: 'failure', build: 'skipped', deploy: 'skipped' })
    expect(summary.headline).toBe(
      'Nothing was deployed: the check failed, and BrillianCRM-env was not changed.'
    )
    expect(summary.why).toBe(why)
    expect(summary.row('Check')).toMatchObject({ result: '❌ Failed', duration: '12s' })
    expect(summary.row('Build & push').result).toBe('➖ Not run')
    expect(summary.row('Deploy').result).toBe('➖ Not run')
  })

  it('on a failed deploy: what was not deployed, Beanstalk’s health, and where its messages and rollback are', async () => {
    const { jobs, summary } = await summaryOf({
      inputs: { ...site, 'rollback-on-failure': true },
      failing: { deploy: ['deploy'] },
      outputs: {
        deploy: { deploy: { ...STEP_OUTPUTS.deploy.deploy, health: 'Red', deployed: 'false' } }
      }
    })
    expect(jobs).toEqual({ check: 'success', build: 'success', deploy: 'failure' })
    expect(summary.headline).toBe('`d6cd1e2-5e43aa61` was not deployed to BrillianCRM-env.')
    expect(summary.why).toBe(
      "deploy-beanstalk failed with BrillianCRM-env's health at Red: its summary in the deploy job has Beanstalk's messages and what to do, and how the rollback to `v-old` went."
    )
    expect(summary.row('Deploy')).toMatchObject({ result: '❌ Failed', duration: '4m' })
    expect(summary.row('Deploy').link).toMatch(/^\[BrillianCRM-env\]\(https:\/\/eu-central-1\.console/)
    expect(summary.row('Invalidate CloudFront').result).toBe('➖ Not run')
    expect(summary.row('Site check').result).toBe('➖ Not run')
    expect(summary.stages).not.toContain('Rollback')
  })

  it('on a deploy that stopped before the update (a name, the credentials): says where to look', async () => {
    const { summary } = await summaryOf({
      failing: { deploy: ['deploy'] },
      outputs: { deploy: { deploy: {} } }
    })
    expect(summary.headline).toBe('The new version was not deployed to BrillianCRM-env.')
    expect(summary.why).toMatch(/^deploy-beanstalk stopped before the update/)
    expect(summary.row('Deploy').link).toContain('#/application/overview?applicationName=BrillianCRM')
  })

  it('on a failed dry run: nothing changed, the dry run’s why', async () => {
    const { summary } = await summaryOf({
      inputs: { ...site, 'dry-run': true },
      failing: { deploy: ['deploy'] }
    })
    expect(summary.headline).toBe('The dry run for BrillianCRM-env failed; nothing changed in AWS.')
    expect(summary.why).toBe("deploy-beanstalk's dry run failed: its summary in the deploy job says why.")
    expect(summary.row('Invalidate CloudFront').result).toBe('➖ Not run')
  })

  it('on a failed site check with a rollback: what runs again, the check’s why, the rollback’s row', async () => {
    const { jobs, summary } = await summaryOf({
      inputs: { ...site, 'rollback-on-failure': true },
      failing: { deploy: ['site'] },
      outputs: { deploy: { site: { status: '502', url: 'https://brilliancrm.com/', ok: 'false' } } }
    })
    expect(jobs.deploy).toBe('failure')
    expect(summary.headline).toBe(
      '`d6cd1e2-5e43aa61` failed the site check on BrillianCRM-env and was rolled back: BrillianCRM-env runs `v-old` again.'
    )
    expect(summary.why).toBe(
      "After the deploy, https://brilliancrm.com/ answered 502 (expected 200-399): check-url's summary in the deploy job shows what came back."
    )
    expect(summary.row('Site check')).toEqual({
      result: '❌ Failed',
      duration: '30s',
      link: '[https://brilliancrm.com/](https://brilliancrm.com/)'
    })
    expect(summary.row('Rollback')).toEqual({
      result: '✅ `v-old` runs again, Green',
      duration: '2m 50s',
      link: '—'
    })
  })

  it('on a failed site check whose rollback failed too: says so in the headline', async () => {
    const { summary } = await summaryOf({
      inputs: { ...site, 'rollback-on-failure': true },
      failing: { deploy: ['site', 'rollback'] },
      outputs: { deploy: { site: { status: '', url: 'https://brilliancrm.com/', ok: 'false' } } }
    })
    expect(summary.headline).toBe(
      '`d6cd1e2-5e43aa61` failed the site check on BrillianCRM-env, and the rollback to `v-old` failed too: check BrillianCRM-env in the Beanstalk console.'
    )
    expect(summary.why).toMatch(/^After the deploy, https:\/\/brilliancrm\.com\/ did not answer:/)
    expect(summary.row('Rollback')).toMatchObject({ result: '❌ Failed', duration: '2m 50s' })
  })

  it('on a failed site check without rollback-on-failure: the new version still runs', async () => {
    const { summary } = await summaryOf({
      inputs: site,
      failing: { deploy: ['site'] },
      outputs: { deploy: { site: { status: '500', url: 'https://brilliancrm.com/', ok: 'false' } } }
    })
    expect(summary.headline).toBe(
      '`d6cd1e2-5e43aa61` failed the site check on BrillianCRM-env and still runs there (rollback-on-failure is off).'
    )
    expect(summary.stages).not.toContain('Rollback')
  })

  it('on a failed invalidation: the version runs, the invalidation failed', async () => {
    const { summary } = await summaryOf({ inputs: site, failing: { deploy: ['invalidate'] } })
    expect(summary.headline).toBe(
      '`d6cd1e2-5e43aa61` runs on BrillianCRM-env, but the CloudFront invalidation failed.'
    )
    expect(summary.why).toMatch(/^The invalidation of E1ABCDEF failed, so visitors may get cached pages/)
    expect(summary.row('Site check').result).toBe('➖ Not run')
  })

  it('on a cancelled run: the stage it was cancelled in, no Why, the stages after it not run', async () => {
    const { jobs, summary } = await summaryOf({ inputs: site, cancelled: { job: 'deploy', step: 'deploy' } })
    expect(jobs).toEqual({ check: 'success', build: 'success', deploy: 'cancelled' })
    expect(summary.heading).toBe('### ⏹️ Release')
    expect(summary.headline).toBe(
      "Cancelled during the deploy stage: deploy-beanstalk's summary in the deploy job says what BrillianCRM-env runs now."
    )
    expect(summary.why).toBeUndefined()
    expect(summary.row('Deploy')).toEqual(expect.objectContaining({ result: '⏹️ Cancelled', duration: '4m' }))
    expect(summary.row('Site check').result).toBe('➖ Not run')
  })

  it('on a run cancelled during the build: the environment was not changed', async () => {
    const { jobs, summary } = await summaryOf({ cancelled: { job: 'build', step: 'push' } })
    expect(jobs).toEqual({ check: 'success', build: 'cancelled', deploy: 'skipped' })
    expect(summary.headline).toBe('Cancelled during the build & push stage: BrillianCRM-env was not changed.')
    expect(summary.row('Build & push')).toMatchObject({ result: '⏹️ Cancelled', duration: '3m 8s' })
    expect(summary.row('Verify (anonymous pull)').result).toBe('➖ Not run')
  })

  it('on a redeploy: the build skipped with the reason, the version that runs again', async () => {
    const { jobs, summary } = await summaryOf({
      inputs: { ...site, 'version-label': 'v7' },
      outputs: { deploy: { deploy: { ...STEP_OUTPUTS.deploy.deploy, 'version-label': 'v7' } } }
    })
    expect(jobs.build).toBe('skipped')
    expect(summary.headline).toBe(
      '`v7` runs on BrillianCRM-env, Green, released in 13m 20s — previously `v-old`.'
    )
    expect(summary.row('Build & push')).toEqual({
      result: '⏭️ Skipped: redeploy of `v7`',
      duration: '—',
      link: '—'
    })
    expect(summary.row('Verify (anonymous pull)')).toEqual({
      result: '⏭️ Skipped: nothing built',
      duration: '—',
      link: '—'
    })
  })

  it('on a promotion: where the version came from', async () => {
    const { summary } = await summaryOf({
      inputs: { 'from-environment': 'BrillianCRM-staging' },
      outputs: {
        deploy: { deploy: { ...STEP_OUTPUTS.deploy.deploy, 'previous-version-label': 'd6cd1e2-5e43aa61' } }
      }
    })
    expect(summary.headline).toBe(
      '`d6cd1e2-5e43aa61` runs on BrillianCRM-env, Green, promoted from BrillianCRM-staging, released in 13m 20s.'
    )
    expect(summary.row('Build & push').result).toBe('⏭️ Skipped: promotion from BrillianCRM-staging')
  })

  it('on a dry run: the plan, nothing changed, each skipped stage with its reason', async () => {
    const { jobs, summary } = await summaryOf({
      inputs: { ...site, 'dry-run': true },
      outputs: { deploy: { deploy: { ...STEP_OUTPUTS.deploy.deploy, deployed: 'false' } } }
    })
    expect(jobs).toEqual({ check: 'success', build: 'skipped', deploy: 'success' })
    expect(summary.heading).toBe('### 📝 Release')
    expect(summary.headline).toBe(
      'Dry run: `d6cd1e2-5e43aa61` would be deployed to BrillianCRM-env; nothing was built and nothing changed in AWS.'
    )
    expect(summary.row('Build & push').result).toBe('⏭️ Skipped: dry run')
    expect(summary.row('Deploy')).toMatchObject({ result: '✅ Planned (dry run)', duration: '4m' })
    expect(summary.row('Invalidate CloudFront')).toEqual({
      result: '⏭️ Skipped: dry run',
      duration: '—',
      link: '—'
    })
    expect(summary.row('Site check')).toEqual({ result: '⏭️ Skipped: dry run', duration: '—', link: '—' })
  })

  it('keeps a table row whole whatever a value holds (a pipe, a line break)', async () => {
    const { env } = runOf({ inputs: site })
    const result = await runScript(script, {
      ...env,
      SITE_URL: 'https://brilliancrm.com/a|b',
      CHECK_URL: 'x\ny'
    })
    const summary = expectWellFormed(result.summary)
    expect(summary.row('Site check').link).toBe(
      '[https://brilliancrm.com/a\\|b](https://brilliancrm.com/a\\|b)'
    )
  })
})

describe('the release summary script, strategy: blue-green', () => {
  const blueGreen = { ...site, strategy: 'blue-green', 'live-cname': 'brilliancrm' }
  const pairDeploy = {
    deploy: {
      'version-label': 'd6cd1e2-5e43aa61',
      'previous-version-label': 'v-twin',
      'environment-url': 'http://brilliancrm-twin.eu-central-1.elasticbeanstalk.com',
      'environment-id': 'e-twin123456',
      health: 'Green',
      deployed: 'true',
      'live-environment-name': 'BrillianCRM-env',
      'idle-environment-name': 'BrillianCRM-env-twin'
    }
  }

  it('on a success: the new version live on the other environment, the idle check and the swap as stages', async () => {
    const { summary } = await summaryOf({ inputs: blueGreen, outputs: { deploy: pairDeploy } })
    expect(summary.heading).toBe('### ✅ Release')
    expect(summary.headline).toBe(
      '`d6cd1e2-5e43aa61` is live on BrillianCRM-env-twin (brilliancrm), Green, released in 13m 20s — previously `v-twin`; BrillianCRM-env stays one swap away.'
    )
    expect(summary.stages).toEqual([
      'Check',
      'Build & push',
      'Verify (anonymous pull)',
      'Deploy',
      'Idle check',
      'Swap',
      'Invalidate CloudFront',
      'Site check'
    ])
    expect(summary.row('Idle check')).toEqual({
      result: '✅ 200',
      duration: '10s',
      link: '[http://brilliancrm-twin.eu-central-1.elasticbeanstalk.com](http://brilliancrm-twin.eu-central-1.elasticbeanstalk.com)'
    })
    expect(summary.row('Swap')).toEqual({
      result: '✅ BrillianCRM-env-twin holds brilliancrm',
      duration: '25s',
      link: '—'
    })
    expect(summary.row('Invalidate CloudFront')).toMatchObject({ duration: '25s' })
  })

  it('on a failed live check: swapped back, the headline says so, the swap back has its row', async () => {
    const { jobs, summary } = await summaryOf({
      inputs: blueGreen,
      failing: { deploy: ['site'] },
      outputs: {
        deploy: { ...pairDeploy, site: { status: '502', url: 'https://brilliancrm.com/', ok: 'false' } }
      }
    })
    expect(jobs.deploy).toBe('failure')
    expect(summary.heading).toBe('### ❌ Release')
    expect(summary.headline).toBe(
      '`d6cd1e2-5e43aa61` failed the live site check after the swap and was swapped back: BrillianCRM-env holds brilliancrm again.'
    )
    expect(summary.row('Swap back')).toEqual({
      result: '✅ BrillianCRM-env holds brilliancrm again',
      duration: '2m 50s',
      link: '—'
    })
    expect(summary.stages).not.toContain('Rollback')
  })

  it('on a failed idle check: not swapped in, the live environment still serves, the swap not run', async () => {
    const { summary } = await summaryOf({
      inputs: blueGreen,
      failing: { deploy: ['idle-site'] },
      outputs: { deploy: { ...pairDeploy, 'idle-site': { status: '500', ok: 'false' } } }
    })
    expect(summary.headline).toBe(
      "`d6cd1e2-5e43aa61` failed the check on the idle environment's own URL: it was not swapped in, and BrillianCRM-env still serves brilliancrm."
    )
    expect(summary.why).toContain('BrillianCRM-env-twin answered 500 on its own URL')
    expect(summary.row('Swap').result).toBe('➖ Not run')
  })

  it('with idle-after-swap: terminate, the termination is the last stage', async () => {
    const { summary } = await summaryOf({
      inputs: { ...blueGreen, 'idle-after-swap': 'terminate' },
      outputs: { deploy: pairDeploy }
    })
    expect(summary.stages.at(-1)).toBe('Terminate idle')
    expect(summary.row('Terminate idle').result).toBe('✅ Terminating')
    expect(summary.headline).toContain('is being terminated')
  })
})
