/**
 * Quiet by default: `::debug::` lines only when the runner's debug logging is on (RUNNER_DEBUG=1), through the
 * one door (debug() in src/common/log.ts), so a run by hand or a test shows the log a user reads.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { debug } from '../../src/common/log.js'

const saved = process.env.RUNNER_DEBUG
afterEach(() => {
  if (saved === undefined) delete process.env.RUNNER_DEBUG
  else process.env.RUNNER_DEBUG = saved
  jest.restoreAllMocks()
})

function written(fn: () => void): string {
  let out = ''
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    out += String(chunk)
    return true
  })
  fn()
  jest.restoreAllMocks()
  return out
}

describe('debug()', () => {
  it('writes nothing unless RUNNER_DEBUG is 1', () => {
    delete process.env.RUNNER_DEBUG
    expect(written(() => debug('next poll in 3813ms'))).toBe('')
    process.env.RUNNER_DEBUG = '0'
    expect(written(() => debug('next poll in 3813ms'))).toBe('')
  })

  it('writes a ::debug:: line when RUNNER_DEBUG=1, as the runner then shows it', () => {
    process.env.RUNNER_DEBUG = '1'
    expect(written(() => debug('next poll in 3813ms'))).toBe('::debug::next poll in 3813ms\n')
  })
})
