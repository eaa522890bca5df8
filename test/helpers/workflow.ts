/**
 * Reading and exercising the workflows as GitHub runs them: the YAML parsed, a small evaluator of GitHub's
 * expression language for `if:` conditions, which jobs and steps run for given inputs and failures, and a `run:`
 * script executed by bash exactly as the runner does (`bash --noprofile --norc -eo pipefail`), with GITHUB_OUTPUT
 * and GITHUB_STEP_SUMMARY files.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT, parseAnnotations, parseOutputFile, type BundleRun } from '../../sandbox/index.js'

export const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')

export type Dict = Record<string, unknown>
export interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Dict
  env?: Dict
  'continue-on-error'?: boolean
}
export interface Job {
  name?: string
  needs?: string | string[]
  if?: string
  uses?: string
  with?: Dict
  permissions?: Dict
  environment?: { name: string; url?: string }
  outputs?: Record<string, string>
  steps?: Step[]
}
export interface Workflow {
  on: Dict
  permissions?: Dict
  concurrency?: { group: string; 'cancel-in-progress': boolean }
  jobs: Record<string, Job>
}

export const load = (path: string): Workflow => parse(read(path)) as Workflow
export const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : [job.needs].flat())

// ---------------------------------------------------------------------------------------------------------------
// A small evaluator for the subset of GitHub's expression language our `if:` conditions use:
// literals ('x', true, false, null, numbers), context paths (inputs.version-label, needs.build.result), ( ),
// !, ==, != (strings compared case-insensitively, as GitHub does), &&, || (returning an operand, as GitHub does)
// and the status functions success(), failure(), cancelled(), always().
// ---------------------------------------------------------------------------------------------------------------
export type Value = string | number | boolean | null
export interface Context {
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

export const truthy = (v: Value): boolean => v !== null && v !== false && v !== '' && v !== 0
function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase()
  if (typeof a === typeof b) return a === b
  const num = (v: Value): number =>
    v === null ? 0 : typeof v === 'boolean' ? Number(v) : Number(v === '' ? 0 : v)
  return num(a) === num(b)
}

/** Strips `${{ }}`; like GitHub, adds `success() &&` when the condition calls no status function. */
export function withImplicitStatus(condition: string): string {
  const inner = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
  return /\b(success|failure|cancelled|always)\(\)/.test(inner) ? inner : `success() && (${inner})`
}

export function evaluate(expression: string, context: Context): Value {
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

export type Result = 'success' | 'failure' | 'skipped' | 'cancelled'

/**
 * Which jobs run, given the caller's inputs: each job in dependency order, its `if:` evaluated with `needs.*.result`
 * of its direct dependencies; success() is false when any job upstream (transitively, as on GitHub) did not
 * succeed. A job that runs ends with `success`, or `failure` when listed in `failing`.
 */
export function simulate(
  workflow: Workflow,
  inputs: Record<string, string | boolean>,
  options: { failing?: string[]; cancelled?: boolean } = {}
): Record<string, Result> {
  const declared = (workflow.on.workflow_call as { inputs: Record<string, { default?: string | boolean }> })
    .inputs
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

export const ran = (results: Record<string, Result>): string[] =>
  Object.entries(results)
    .filter(([, result]) => result !== 'skipped')
    .map(([name]) => name)

// ---------------------------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------------------------
// Steps within one job
// ---------------------------------------------------------------------------------------------------------------
export type StepResult = 'success' | 'failure' | 'skipped'
export const stepKey = (step: Step): string => step.id ?? step.name ?? step.uses ?? step.run ?? '?'

/**
 * Which steps of a job run: each step's `if:` evaluated (implicit success() added as GitHub does) with
 * `inputs.*` (the caller's, else the declared defaults), `steps.<id>.outcome|conclusion|outputs.<name>` of the
 * steps before it. A step that runs succeeds unless listed in `failing`; with continue-on-error its outcome is
 * failure but its conclusion success, so later steps still see success(). The job fails when a step's
 * conclusion is failure.
 */
export function simulateSteps(
  workflow: Workflow,
  job: string,
  inputs: Record<string, string | boolean>,
  options: { failing?: string[]; outputs?: Record<string, Record<string, string>> } = {}
): { steps: Record<string, StepResult>; job: 'success' | 'failure' } {
  const declared = (workflow.on.workflow_call as { inputs: Record<string, { default?: string | boolean }> })
    .inputs
  const outcomes: Record<string, { outcome: StepResult; conclusion: StepResult }> = {}
  const results: Record<string, StepResult> = {}
  let failed = false
  for (const step of workflow.jobs[job].steps ?? []) {
    const key = stepKey(step)
    const context: Context = {
      status: { success: !failed, failure: failed, cancelled: false },
      lookup(path) {
        const [scope, name, field, output] = path.split('.')
        if (scope === 'inputs' && name in declared) return inputs[name] ?? declared[name].default ?? ''
        if (scope === 'steps') {
          const seen = outcomes[name]
          if (field === 'outcome' || field === 'conclusion') return seen?.[field] ?? ''
          if (field === 'outputs' && output !== undefined) return options.outputs?.[name]?.[output] ?? ''
        }
        throw new Error(`job ${job}, step ${key}: unsupported or unknown reference ${path}`)
      }
    }
    const runs = truthy(evaluate(withImplicitStatus(step.if ?? 'success()'), context))
    const outcome: StepResult = runs ? (options.failing?.includes(key) ? 'failure' : 'success') : 'skipped'
    const conclusion: StepResult = outcome === 'failure' && step['continue-on-error'] ? 'success' : outcome
    if (step.id) outcomes[step.id] = { outcome, conclusion }
    results[key] = outcome
    if (conclusion === 'failure') failed = true
  }
  return { steps: results, job: failed ? 'failure' : 'success' }
}

export const ranSteps = (results: Record<string, StepResult>): string[] =>
  Object.entries(results)
    .filter(([, result]) => result !== 'skipped')
    .map(([key]) => key)

// ---------------------------------------------------------------------------------------------------------------
// Running a step's script
// ---------------------------------------------------------------------------------------------------------------
export interface ScriptRun {
  status: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  annotations: BundleRun['annotations']
}

/** The `run:` script of the step with this id (or name) in this job. */
export function scriptOf(workflow: Workflow, job: string, step: string): string {
  const found = (workflow.jobs[job].steps ?? []).find(s => s.id === step || s.name === step)
  if (found?.run === undefined) throw new Error(`no run: step ${step} in job ${job}`)
  return found.run
}

/**
 * Runs a `run:` script as the runner's default shell does (`bash --noprofile --norc -eo pipefail {0}`), in `cwd`,
 * with only PATH from this machine plus `env`, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files.
 */
export async function runScript(
  script: string,
  env: Record<string, string>,
  cwd?: string
): Promise<ScriptRun> {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-step-'))
  try {
    const output = join(dir, 'output')
    const summary = join(dir, 'summary')
    const file = join(dir, 'step.sh')
    writeFileSync(output, '')
    writeFileSync(summary, '')
    writeFileSync(file, script)
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
      cwd: cwd ?? dir,
      timeout: 4000,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        RUNNER_TEMP: dir,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        ...env
      }
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const status = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', code => resolve(code))
    })
    return {
      status,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(output, 'utf8')),
      summary: readFileSync(summary, 'utf8'),
      annotations: parseAnnotations(stdout)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
