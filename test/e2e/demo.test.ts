/**
 * `npm run demo` is the README's first command: keep it true. Runs the demo script as a user would and checks
 * that all three steps ran and succeeded against the sandbox.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from '../helpers/run-bundle.js'

describe('npm run demo', () => {
  it('runs verify → deploy → invalidate against the local sandbox and exits 0', () => {
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/demo.ts'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' }
      }
    )
    const output = result.stdout + result.stderr
    expect({ status: result.status, tail: output.slice(-2000) }).toEqual({
      status: 0,
      tail: expect.any(String)
    })
    expect(output).toContain('✓ verify-package-public succeeded')
    expect(output).toContain('✓ deploy-beanstalk succeeded')
    expect(output).toContain('✓ invalidate-cloudfront succeeded')
    expect(output).toMatch(/deployed = true/)
    expect(output).toMatch(
      /AWS calls that changed something: CreateStorageLocation, PutObject, CreateApplicationVersion, UpdateEnvironment, CreateInvalidation/
    )
    expect(output).toContain('Demo finished')
  }, 150_000)
})
