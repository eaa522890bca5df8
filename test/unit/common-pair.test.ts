import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import {
  holdsCname,
  parseLiveCname,
  parsePair,
  resolvePair,
  type PairEnvironment
} from '../../src/common/pair.js'

function refusal(fn: () => unknown): UserError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a UserError')
}

describe('parsePair', () => {
  it('takes two names separated by spaces, commas or both', () => {
    for (const text of [
      'BrillianCRM-blue BrillianCRM-green',
      'BrillianCRM-blue,BrillianCRM-green',
      ' BrillianCRM-blue ,  BrillianCRM-green\n'
    ]) {
      expect(parsePair(text)).toEqual({
        names: ['BrillianCRM-blue', 'BrillianCRM-green'],
        twinDerived: false
      })
    }
  })
  it('derives the twin of one name', () => {
    expect(parsePair('BrillianCRM-env')).toEqual({
      names: ['BrillianCRM-env', 'BrillianCRM-env-twin'],
      twinDerived: true
    })
  })
  it('refuses three names, duplicates, bad names and an empty value, naming the input', () => {
    const three = refusal(() => parsePair('aaaa bbbb cccc'))
    expect(three.input).toBe('environment-name')
    expect(three.message).toContain('names 3 environments')
    const twice = refusal(() => parsePair('BrillianCRM-env brilliancrm-ENV'))
    expect(twice.message).toContain('twice')
    const bad = refusal(() => parsePair('BrillianCRM-blue -green'))
    expect(bad.message).toContain('"-green" is not an environment name')
    expect(refusal(() => parsePair('ab cdef')).message).toContain('(it has 2 characters)')
    expect(refusal(() => parsePair('BrillianCRM_blue')).message).toContain('letters, digits and hyphens')
    expect(refusal(() => parsePair(' , ')).message).toContain('it is required')
    expect(refusal(() => parsePair('x'.repeat(41))).message).toContain('(it has 41 characters)')
  })
  it('refuses one name whose twin would be too long, saying to name both', () => {
    const error = refusal(() => parsePair('a'.repeat(36), 'pair'))
    expect(error.input).toBe('pair')
    expect(error.message).toContain('longer than Beanstalk')
    expect(error.message).toContain('Name both environments')
    expect(parsePair('a'.repeat(35)).names[1]).toHaveLength(40)
  })
})

describe('parseLiveCname', () => {
  const host = 'brilliancrm.eu-central-1.elasticbeanstalk.com'
  it('takes a prefix or a full host, in any case, with a scheme or a trailing slash', () => {
    for (const text of [
      'brilliancrm',
      'BrillianCRM',
      host,
      `HTTP://${host.toUpperCase()}/`,
      `https://${host}`
    ]) {
      expect(parseLiveCname(text, 'eu-central-1')).toEqual({ prefix: 'brilliancrm', host })
    }
  })
  it('takes a CNAME Beanstalk made without a prefix (<name>.<token>.<region>.elasticbeanstalk.com)', () => {
    const host = 'brilliancrm-env.m46fsag5h6.eu-central-1.elasticbeanstalk.com'
    expect(parseLiveCname(host, 'eu-central-1')).toEqual({ prefix: 'brilliancrm-env.m46fsag5h6', host })
  })
  it('refuses a host of another region, naming both regions and the fix', () => {
    const error = refusal(() => parseLiveCname('brilliancrm.eu-west-1.elasticbeanstalk.com', 'eu-central-1'))
    expect(error.input).toBe('live-cname')
    expect(error.message).toContain('a CNAME in eu-west-1')
    expect(error.message).toContain("set 'region' to eu-west-1")
  })
  it.each([
    ['', 'it is required with strategy blue-green'],
    ['brilliancrm.com', 'not another host name'],
    ['a.b.elasticbeanstalk.com', 'expected a prefix or a host name'],
    ['brilliancrm.elasticbeanstalk.com', 'expected a prefix or a host name'],
    ['crm', '"crm" is not a CNAME prefix'],
    ['-brilliancrm', 'is not a CNAME prefix'],
    ['brillian_crm', 'is not a CNAME prefix'],
    ['x'.repeat(64), 'is not a CNAME prefix'],
    [`bad_prefix.eu-central-1.elasticbeanstalk.com`, '"bad_prefix" is not a CNAME prefix']
  ])('refuses %j', (text, expected) => {
    const error = refusal(() => parseLiveCname(text, 'eu-central-1'))
    expect(error.input).toBe('live-cname')
    expect(error.message).toContain(expected)
  })
})

describe('resolvePair', () => {
  const pair = parsePair('BrillianCRM-blue BrillianCRM-green')
  const live = parseLiveCname('brilliancrm', 'eu-central-1')
  const blue: PairEnvironment = {
    name: 'BrillianCRM-blue',
    id: 'e-blue',
    cname: 'BrillianCRM.eu-central-1.elasticbeanstalk.com',
    status: 'Ready',
    health: 'Green',
    versionLabel: 'v1'
  }
  const green: PairEnvironment = {
    name: 'BrillianCRM-green',
    id: 'e-green',
    cname: 'brilliancrm-green.eu-central-1.elasticbeanstalk.com',
    status: 'Ready',
    health: 'Green',
    versionLabel: 'v0'
  }
  it('finds the live one by its CNAME (case-insensitive) and the other idle', () => {
    expect(resolvePair(pair, live, [green, blue])).toEqual({
      live: blue,
      idle: green,
      idleName: 'BrillianCRM-green'
    })
  })
  it('finds the pair reversed after a swap', () => {
    const swapped = [
      { ...blue, cname: green.cname },
      { ...green, cname: blue.cname }
    ]
    const resolved = resolvePair(pair, live, swapped)
    expect(resolved.live.name).toBe('BrillianCRM-green')
    expect(resolved.idle?.name).toBe('BrillianCRM-blue')
  })
  it('answers idle undefined when the twin does not exist (or is terminated)', () => {
    expect(resolvePair(pair, live, [blue])).toEqual({
      live: blue,
      idle: undefined,
      idleName: 'BrillianCRM-green'
    })
    const gone = { ...green, status: 'Terminated' }
    expect(resolvePair(pair, live, [blue, gone]).idle).toBeUndefined()
    const derived = parsePair('BrillianCRM-blue')
    expect(resolvePair(derived, live, [blue]).idleName).toBe('BrillianCRM-blue-twin')
  })
  it('matches a pre-2016 CNAME without the region', () => {
    expect(holdsCname('brilliancrm.elasticbeanstalk.com', live)).toBe(true)
    expect(holdsCname('brilliancrm2.eu-central-1.elasticbeanstalk.com', live)).toBe(false)
    expect(holdsCname(undefined, live)).toBe(false)
  })
  it('refuses when neither holds the CNAME, naming both and their CNAMEs', () => {
    const error = refusal(() =>
      resolvePair(pair, live, [{ ...blue, cname: 'other.eu-central-1.elasticbeanstalk.com' }, green])
    )
    expect(error.input).toBe('live-cname')
    expect(error.title).toBe('Live environment not found')
    expect(error.message).toContain('BrillianCRM-blue (other.eu-central-1.elasticbeanstalk.com)')
    expect(error.message).toContain('BrillianCRM-green (brilliancrm-green.eu-central-1.elasticbeanstalk.com)')
    const missing = refusal(() => resolvePair(pair, live, [green]))
    expect(missing.message).toContain('BrillianCRM-blue (does not exist)')
  })
  it('says when the CNAME is held by an environment outside the pair, or neither exists', () => {
    const outside = refusal(() => resolvePair(pair, live, [{ ...blue, name: 'BrillianCRM-env' }, green]))
    expect(outside.input).toBe('environment-name')
    expect(outside.message).toContain('held by BrillianCRM-env, which is not one of the pair')
    const none = refusal(() => resolvePair(pair, live, []))
    expect(none.input).toBe('environment-name')
    expect(none.message).toContain('Neither environment exists')
  })
})
