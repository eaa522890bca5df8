import { describe, expect, it } from '@jest/globals'
import { formatBytes, formatDuration } from '../../src/common/format.js'
import { parseBoolean, parseDuration, parseList, resolveRegion } from '../../src/common/inputs.js'
import { UserError } from '../../src/common/errors.js'

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['300', 300_000],
    ['1.5', 1500],
    [' 2M ', 120_000]
  ])('reads %s', (text, ms) => {
    expect(parseDuration('timeout', text, '20m')).toBe(ms)
  })

  it('uses the default when the input is empty', () => {
    expect(parseDuration('timeout', '', '20m')).toBe(1_200_000)
  })

  it.each(['abc', '10x', '-5', '5m garbage', 'm', '1h-2m'])(
    'rejects %s naming the input and the form',
    text => {
      expect(() => parseDuration('timeout', text, '20m')).toThrow(UserError)
      expect(() => parseDuration('timeout', text, '20m')).toThrow(
        /Input 'timeout' is ".*": expected a duration such as 90s/
      )
    }
  )

  it('rejects zero unless allowed, and checks bounds', () => {
    expect(() => parseDuration('timeout', '0', '20m')).toThrow(/above zero/)
    expect(parseDuration('grace', '0', '1m', { allowZero: true })).toBe(0)
    expect(() => parseDuration('timeout', '2s', '20m', { min: 5000 })).toThrow(/at least 5s/)
    expect(() => parseDuration('timeout', '7h', '20m', { max: 6 * 3_600_000 })).toThrow(/at most 6h/)
  })
})

describe('parseBoolean', () => {
  it('accepts only true/false in any case, with a default for empty', () => {
    expect(parseBoolean('wait', 'true', false)).toBe(true)
    expect(parseBoolean('wait', 'FALSE', true)).toBe(false)
    expect(parseBoolean('wait', '', true)).toBe(true)
    expect(() => parseBoolean('wait', 'yes', true)).toThrow(/Input 'wait' is "yes": expected true or false/)
  })
})

describe('parseList', () => {
  it('splits on newlines and commas, trims, drops empties, keeps order', () => {
    expect(parseList('/a, /b\n\n  /c  ,\n/d')).toEqual(['/a', '/b', '/c', '/d'])
    expect(parseList('')).toEqual([])
  })
})

describe('formatDuration', () => {
  it('prints short and long durations readably', () => {
    expect(formatDuration(250)).toBe('250ms')
    expect(formatDuration(1500)).toBe('1.5s')
    expect(formatDuration(45_000)).toBe('45s')
    expect(formatDuration(3_723_000)).toBe('1h 2m 3s')
  })
})

describe('formatBytes', () => {
  it('prints sizes in binary units', () => {
    expect(formatBytes(12)).toBe('12 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(812 * 1024)).toBe('812 KB')
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB')
    expect(formatBytes(3 * 1024 ** 3)).toBe('3 GB')
  })
})

describe('resolveRegion', () => {
  it('prefers the input, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(resolveRegion('eu-west-1', { AWS_REGION: 'us-east-1' })).toBe('eu-west-1')
    expect(resolveRegion('', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-1' })).toBe('us-east-1')
    expect(resolveRegion('', { AWS_DEFAULT_REGION: 'eu-west-1' })).toBe('eu-west-1')
  })
  it('fails with the fix when no region is set or it is malformed', () => {
    expect(() => resolveRegion('', {})).toThrow(/Input 'region' is empty: no region is set/)
    expect(() => resolveRegion('Frankfurt', {})).toThrow(/expected an AWS region code such as eu-central-1/)
  })
})
