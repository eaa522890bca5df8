import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mockCore } from '../helpers/core-fixture.js'

await mockCore()
const { addSecret, clearSecrets, scrub, worthMasking } = await import('../../src/common/secrets.js')

// core.setSecret writes `::add-mask::value` to stdout: kept here, out of the test runner's own log
let written: string[] = []
const write = process.stdout.write
beforeEach(() => {
  written = []
  process.stdout.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stdout.write
})
afterEach(() => {
  process.stdout.write = write
  clearSecrets()
})

describe('addSecret, the one door for masking', () => {
  it('registers whole values, each line of a multi-line value on its own, and scrub learns them', () => {
    addSecret('s3cr3t-token\n  second-line  \n')
    expect(scrub('a s3cr3t-token and second-line')).toBe('a *** and ***')
  })

  it('never registers a fragment: short values, or values without a letter or digit (=, ==, ----)', () => {
    for (const fragment of ['=', '==', 'ab', '====', '-----', '  ']) addSecret(fragment)
    expect(written).toEqual([])
    expect(scrub('a=b == ab ==== -----')).toBe('a=b == ab ==== -----')
    expect(worthMasking('abcd')).toBe(true)
    expect(worthMasking('----')).toBe(false)
  })

  it('goes through the runner once per value (core.setSecret)', () => {
    addSecret('once-only-value')
    addSecret('once-only-value')
    expect(written.filter(line => line.includes('::add-mask::once-only-value'))).toHaveLength(1)
  })
})
