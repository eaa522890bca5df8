/**
 * Every action's first log line says which imbit/actions runs: the real bundles, run as the runner runs them,
 * from this checkout (as deploy.yml runs them from ./.imbit-actions) and as a downloaded action at a tag.
 */
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, runBundle } from '../../sandbox/index.js'

const bundles = readdirSync(join(ROOT, 'dist'), { withFileTypes: true })
  .filter(entry => entry.isDirectory())
  .map(entry => entry.name)
// The commit of this checkout, as git itself says (the action reads it without git).
const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
const firstLine = (stdout: string): string => stdout.split('\n')[0]

describe('the first log line of every action', () => {
  it('covers every bundle', () => {
    expect(bundles).toEqual(
      expect.arrayContaining(['deploy-beanstalk', 'invalidate-cloudfront', 'verify-package-public'])
    )
  })

  it.each(bundles)('%s: the commit it runs from (a checkout, as deploy.yml uses it)', async name => {
    // No inputs: the action fails on its first required input, after the version line.
    const run = await runBundle(name, {
      env: { GITHUB_ACTION_REPOSITORY: '', GITHUB_ACTION_REF: '' },
      timeoutMs: 20_000
    })
    expect(firstLine(run.stdout)).toMatch(
      new RegExp(`^imbit/actions ${name} (.+, )?commit ${head}(, branch \\S+)?$`)
    )
    expect(run.code).toBe(1)
  })

  it.each(bundles)('%s: the release tag the workflow named (a downloaded action)', async name => {
    const run = await runBundle(name, {
      env: { GITHUB_ACTION_REPOSITORY: 'imbit/actions', GITHUB_ACTION_REF: 'v1.4.2' },
      timeoutMs: 20_000
    })
    expect(firstLine(run.stdout)).toMatch(
      new RegExp(`^imbit/actions ${name} v1\\.4\\.2(, .+)?, commit ${head}`)
    )
  })
})
