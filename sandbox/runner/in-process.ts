/**
 * Runs an action in this process the way its bundle runs in the runner (same INPUT_* variables,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE, scrubbed AWS configuration; see
 * run-bundle.ts), on an injected clock, and returns what `runBundle` returns: exit code, stdout with the
 * workflow commands, outputs, summary and annotations. So a scenario that depends on time (an environment busy
 * with another update, a grace period, a rollback, CloudFront's invalidation queue) runs against the sandbox
 * on a fake clock shared with it (`startSandbox(spec, { now: clock.now })`) in milliseconds, with the same
 * assertions as against the real bundle. The real bundles keep their own small e2e layer for the wiring.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../../src/common/retry.js'
import { runAction, type Action } from '../../src/common/run.js'
import {
  inputVariables,
  parseAnnotations,
  parseOutputFile,
  runnerEnvironment,
  type BundleRun
} from './bundle.js'

export type ActionName =
  'deploy-beanstalk' | 'invalidate-cloudfront' | 'verify-package-public' | 'swap-environments'

/** Each action as its bundle runs it: the Action its index.ts hands to runAction, made with its Dependencies. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action takes its own Dependencies and record
type Entry = (deps: any) => Action<any>
const mains: Record<ActionName, () => Promise<Entry>> = {
  'deploy-beanstalk': async () => (await import('../../src/deploy-beanstalk/main.js')).deployBeanstalk,
  'invalidate-cloudfront': async () =>
    (await import('../../src/invalidate-cloudfront/main.js')).invalidateCloudFront,
  'verify-package-public': async () =>
    (await import('../../src/verify-package-public/main.js')).verifyPackagePublic,
  'swap-environments': async () => (await import('../../src/swap-environments/main.js')).swapEnvironments
}

/** Variables a run reads; removed before each run so nothing of this process leaks in. */
const RUNNER_VARIABLE = /^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|AWS_)/

/**
 * Loads an action's modules and the SDK's credential provider (which the SDK imports on its first call), for a
 * `beforeAll`: a test's duration is then the test's, not the module loading of the first one.
 */
export async function loadAction(action: ActionName): Promise<void> {
  await mains[action]()
  await import('@aws-sdk/credential-provider-env')
}

export interface InProcessOptions {
  clock: Clock
  /** More of the action's Dependencies (e.g. SDK clients), beside the clock. */
  deps?: Record<string, unknown>
  inputs?: Record<string, string>
  env?: Record<string, string | undefined>
  workspace?: string
  /** Omit GITHUB_STEP_SUMMARY, as older act does. */
  noSummaryFile?: boolean
}

export async function runInProcess(action: ActionName, options: InProcessOptions): Promise<BundleRun> {
  const entry = await mains[action]()
  const dir = mkdtempSync(join(tmpdir(), `inproc-${action}-`))
  const env = runnerEnvironment(dir, options.workspace ?? dir, {
    ...inputVariables(options.inputs ?? {}),
    ...(options.noSummaryFile ? { GITHUB_STEP_SUMMARY: undefined } : {}),
    ...options.env
  })
  const saved = { ...process.env }
  const savedExitCode = process.exitCode
  for (const name of Object.keys(process.env)) if (RUNNER_VARIABLE.test(name)) delete process.env[name]
  for (const [name, value] of Object.entries(env))
    if (name !== 'PATH' && name !== 'TMPDIR') process.env[name] = value
  process.exitCode = undefined
  let stdout = ''
  const write = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  }) as typeof process.stdout.write
  const started = options.clock.now()
  let code: number
  try {
    await runAction(entry({ ...options.deps, clock: options.clock }))
    code = Number(process.exitCode ?? 0)
  } finally {
    process.stdout.write = write
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name]
    Object.assign(process.env, saved)
    process.exitCode = savedExitCode
  }
  const result: BundleRun = {
    code,
    stdout,
    stderr: '',
    outputs: parseOutputFile(readFileSync(join(dir, 'output'), 'utf8')),
    summary: options.noSummaryFile ? '' : readFileSync(join(dir, 'summary'), 'utf8'),
    annotations: parseAnnotations(stdout),
    // the action's own time, on its clock
    durationMs: options.clock.now() - started
  }
  rmSync(dir, { recursive: true, force: true })
  return result
}
