/**
 * The story in process with a fake registry and the fake clock: the promise that every exit after the inputs
 * were read sets every output and writes the summary exactly once (the one report of common/run.ts). The real
 * bundle against local registries is in test/e2e/verify-package-public.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { mockCore } from '../helpers/core-fixture.js'
import { fakeClock } from '../helpers/fakes.js'
import { useRunnerFiles } from '../helpers/runner-files.js'

const log = await mockCore()
const { verifyPackagePublic } = await import('../../src/verify-package-public/main.js')
const { runAction } = await import('../../src/common/run.js')

const { writes, summary } = useRunnerFiles('verify-main', () => {
  for (const list of Object.values(log)) list.length = 0
})

const INPUTS = {
  INPUT_IMAGE: 'ghcr.io/imbit/brilliancrm:latest',
  INPUT_TOKEN: '',
  INPUT_TIMEOUT: '30s',
  'INPUT_FAIL-ON-PRIVATE': 'true',
  INPUT_PLATFORMS: ''
}

describe('verify-package-public reports through the one exit path', () => {
  it('an unexpected throw in the middle (while the pull is retried) still writes every output and the summary, once', async () => {
    Object.assign(process.env, INPUTS)
    const clock = fakeClock()
    let requests = 0
    const registryDown = async () => {
      requests++
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })
    }
    // a bug of ours in the middle of the retries: the clock breaks on its first sleep
    const broken = {
      now: clock.now,
      sleep: async () => {
        throw new Error('boom')
      }
    }
    await runAction(verifyPackagePublic({ fetch: registryDown, clock: broken, env: {} }))
    expect(requests).toBe(1)
    expect(process.exitCode).toBe(1)
    expect(writes()).toEqual([
      ['visibility', 'unknown'],
      ['pullable', 'false'],
      ['digest', '']
    ])
    expect(summary().match(/### ❌ Package visibility/g)).toHaveLength(1)
    expect(summary()).toContain('could not be checked')
    expect(summary()).toContain('**Why**\n\nUnexpected error: boom')
    expect(log.error).toEqual([expect.stringContaining('boom')])
  })

  it('refused inputs are their own report: no outputs, no summary, one error', async () => {
    Object.assign(process.env, { ...INPUTS, INPUT_IMAGE: 'brilliancrm' })
    await runAction(verifyPackagePublic({ fetch: async () => new Response(), clock: fakeClock(), env: {} }))
    expect(process.exitCode).toBe(1)
    expect(writes()).toEqual([])
    expect(summary()).toBe('')
    expect(log.error).toHaveLength(1)
  })
})
