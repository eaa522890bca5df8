/** What the deploy-beanstalk tests share, in process (test/scenarios) and end to end (test/e2e). */
import { expect } from '@jest/globals'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppSpec, EnvSpec, SandboxScenario } from '../sandbox/index.js'
import { ROOT, type BundleRun } from './run-bundle.js'

export const APP = 'BrillianCRM'
export const ENV = 'BrillianCRM-env'
export const IMAGE = 'ghcr.io/imbit/demo-app:0123456789abcdef0123456789abcdef01234567'

/** A temp copy of examples/demo-app; `cleanups` removes it. */
export function workspace(cleanups: Array<() => Promise<void> | void>): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-beanstalk-ws-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), dir, { recursive: true })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** BrillianCRM-env running v0-initial (updates 1.5 s, healthy), two more apps, one in eu-west-1. */
export function scenario(
  env: Partial<EnvSpec> = {},
  more: Partial<SandboxScenario> = {},
  app: Partial<AppSpec> = {}
): SandboxScenario {
  return {
    name: 'deploy-beanstalk',
    applications: [
      {
        name: APP,
        versions: [{ label: 'v0-initial' }],
        environments: [
          { name: ENV, versionLabel: 'v0-initial', update: { durationMs: 1500, outcome: 'healthy' }, ...env }
        ],
        ...app
      },
      { name: 'BrillianQuiz', environments: [{ name: 'BrillianQuiz-env' }] },
      { name: 'Shop', region: 'eu-west-1', environments: [{ name: 'Shop-env' }] }
    ],
    ...more
  }
}

export const errors = (run: BundleRun) => run.annotations.filter(a => a.level === 'error')
export const show = (run: BundleRun) => `exit ${run.code}\n${run.stdout}\n${run.stderr}`

export function expectUserError(run: BundleRun, pattern: RegExp): void {
  expect([run.code, errors(run).map(a => a.message)]).toEqual([
    1,
    expect.arrayContaining([expect.stringMatching(pattern)])
  ])
}
