import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import {
  parseDistributionId,
  parseDomain,
  parseInputs,
  type RawInputs
} from '../../src/invalidate-cloudfront/inputs.js'

const blank: RawInputs = { 'distribution-id': '', domain: '', paths: '', wait: '', timeout: '' }

function userError(fn: () => unknown): UserError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a UserError, nothing was thrown')
}

describe('parseInputs', () => {
  it('applies the defaults: /*, wait, 10 minutes', () => {
    const inputs = parseInputs({ ...blank, 'distribution-id': 'E2ABCDEF123456' })
    expect(inputs.target).toEqual({ kind: 'id', distributionId: 'E2ABCDEF123456' })
    expect(inputs.paths.paths).toEqual(['/*'])
    expect(inputs.wait).toBe(true)
    expect(inputs.timeoutMs).toBe(600_000)
  })

  it('reads a domain, paths, wait and timeout', () => {
    const inputs = parseInputs({
      'distribution-id': '',
      domain: ' BrillianCRM.com ',
      paths: '/index.html\n/app/*, /über',
      wait: 'FALSE',
      timeout: '90s'
    })
    expect(inputs.target).toEqual({ kind: 'domain', domain: 'brilliancrm.com' })
    expect(inputs.paths.paths).toEqual(['/index.html', '/app/*', '/%C3%BCber'])
    expect(inputs.wait).toBe(false)
    expect(inputs.timeoutMs).toBe(90_000)
  })

  it('needs exactly one of distribution-id and domain', () => {
    expect(userError(() => parseInputs(blank)).message).toContain("Neither 'distribution-id' nor 'domain'")
    const both = userError(() =>
      parseInputs({ ...blank, 'distribution-id': 'E2ABCDEF123456', domain: 'brilliancrm.com' })
    )
    expect(both.message).toContain('both set')
    expect(both.message).toContain('exactly one')
  })

  it('rejects bad paths, booleans and timeouts, naming the input', () => {
    const id = { ...blank, 'distribution-id': 'E2ABCDEF123456' }
    expect(userError(() => parseInputs({ ...id, paths: 'index.html' })).input).toBe('paths')
    expect(userError(() => parseInputs({ ...id, paths: '/a/*/b' })).input).toBe('paths')
    expect(userError(() => parseInputs({ ...id, paths: ' , ' })).message).toContain('no paths')
    const wait = userError(() => parseInputs({ ...id, wait: 'yes' }))
    expect(wait.input).toBe('wait')
    expect(wait.message).toContain('true or false')
    expect(userError(() => parseInputs({ ...id, timeout: 'soon' })).input).toBe('timeout')
    expect(userError(() => parseInputs({ ...id, timeout: '0' })).input).toBe('timeout')
    expect(userError(() => parseInputs({ ...id, timeout: '500ms' })).message).toContain('at least 1s')
    expect(userError(() => parseInputs({ ...id, timeout: '7h' })).message).toContain('at most 6h')
  })

  it('checks the target before the paths', () => {
    expect(userError(() => parseInputs({ ...blank, paths: 'bad' })).input).toBe('distribution-id')
  })
})

describe('parseDistributionId', () => {
  it('accepts CloudFront-shaped ids', () => {
    expect(parseDistributionId('E2ABCDEF123456')).toBe('E2ABCDEF123456')
    expect(parseDistributionId('EDFDVBD6EXAMPLE')).toBe('EDFDVBD6EXAMPLE')
  })

  it('explains what is wrong with anything else', () => {
    expect(userError(() => parseDistributionId('e2abcdef123456')).message).toContain('"E2ABCDEF123456"')
    expect(userError(() => parseDistributionId('brilliancrm.com')).message).toContain('`domain` input')
    expect(userError(() => parseDistributionId('d111111abcdef8.cloudfront.net')).message).toContain(
      'not its cloudfront.net domain name'
    )
    expect(
      userError(() => parseDistributionId('arn:aws:cloudfront::123456789012:distribution/E2ABCDEF123456'))
        .message
    ).toContain('use "E2ABCDEF123456"')
    for (const bad of ['E2', 'E2ABC-DEF-123', 'E2ABCDEF 123456', '${{ secrets.ID }}']) {
      const error = userError(() => parseDistributionId(bad))
      expect(error.input).toBe('distribution-id')
    }
  })
})

describe('parseDomain', () => {
  it('normalises case, a trailing dot and a pasted URL', () => {
    expect(parseDomain('BrillianCRM.com')).toBe('brilliancrm.com')
    expect(parseDomain('www.brilliancrm.com.')).toBe('www.brilliancrm.com')
    expect(parseDomain('https://www.BrillianCRM.com/')).toBe('www.brilliancrm.com')
    expect(parseDomain('d111111abcdef8.cloudfront.net')).toBe('d111111abcdef8.cloudfront.net')
  })

  it('turns internationalised names into their ASCII form, as CloudFront stores them', () => {
    expect(parseDomain('Bücher.example')).toBe('xn--bcher-kva.example')
  })

  it('rejects what is not a domain name', () => {
    for (const bad of ['brilliancrm', 'brillian crm.com', 'https://brilliancrm.com/app', '-x.com', 'a..b']) {
      expect(userError(() => parseDomain(bad)).input).toBe('domain')
    }
  })
})
