import { describe, expect, it } from '@jest/globals'
import type { DistributionSummary } from '../../src/invalidate-cloudfront/cloudfront.js'
import { UserError } from '../../src/common/errors.js'
import {
  closestAlias,
  describeDistributions,
  findDistribution,
  noDistributionError,
  unknownIdError
} from '../../src/invalidate-cloudfront/distribution.js'

const crm: DistributionSummary = {
  id: 'E2CRM000000001',
  domainName: 'd1crm.cloudfront.net',
  aliases: ['brilliancrm.com', 'www.brilliancrm.com']
}
const quiz: DistributionSummary = {
  id: 'E2QUIZ00000003',
  domainName: 'd3quiz.cloudfront.net',
  aliases: ['www.brillianquiz.com'],
  comment: 'quiz'
}
const wild: DistributionSummary = {
  id: 'E2WILD00000004',
  domainName: 'd4wild.cloudfront.net',
  aliases: ['*.apps.imbit.de'],
  enabled: false
}
const bare: DistributionSummary = { id: 'E2BARE00000005', domainName: 'd5bare.cloudfront.net', aliases: [] }
const all = [crm, quiz, wild, bare]

describe('findDistribution', () => {
  it('finds by alternate domain name', () => {
    expect(findDistribution('www.brilliancrm.com', all)).toEqual({
      distribution: crm,
      matchedBy: 'www.brilliancrm.com'
    })
  })

  it('finds by the cloudfront.net domain name', () => {
    expect(findDistribution('d5bare.cloudfront.net', all)?.distribution.id).toBe('E2BARE00000005')
  })

  it('finds by a wildcard alias, one label deep, after exact names', () => {
    expect(findDistribution('crm.apps.imbit.de', all)).toEqual({
      distribution: wild,
      matchedBy: '*.apps.imbit.de'
    })
    expect(findDistribution('a.b.apps.imbit.de', all)).toBeUndefined()
    expect(findDistribution('apps.imbit.de', all)).toBeUndefined()
    const exact: DistributionSummary = { ...bare, id: 'E2EXACT0000006', aliases: ['crm.apps.imbit.de'] }
    expect(findDistribution('crm.apps.imbit.de', [wild, exact])?.distribution.id).toBe('E2EXACT0000006')
  })

  it('finds nothing for a near miss', () => {
    expect(findDistribution('brilliancrm.de', all)).toBeUndefined()
    expect(findDistribution('brillianquiz.com', all)).toBeUndefined()
  })
})

describe('closestAlias', () => {
  it('suggests the www. twin, either way', () => {
    expect(closestAlias('brillianquiz.com', all)).toEqual({
      alias: 'www.brillianquiz.com',
      id: 'E2QUIZ00000003'
    })
    const apexOnly = [{ ...crm, aliases: ['brilliancrm.com'] }]
    expect(closestAlias('www.brilliancrm.com', apexOnly)).toEqual({
      alias: 'brilliancrm.com',
      id: 'E2CRM000000001'
    })
  })

  it('suggests a close typo, not a distant name', () => {
    expect(closestAlias('brillancrm.com', all)?.alias).toBe('brilliancrm.com')
    expect(closestAlias('www.brillianqiz.com', all)?.alias).toBe('www.brillianquiz.com')
    expect(closestAlias('example.org', all)).toBeUndefined()
  })
})

describe('noDistributionError', () => {
  it('lists the distributions with their aliases and suggests the closest', () => {
    const error = noDistributionError('brillianquiz.com', all)
    expect(error.input).toBe('domain')
    expect(error.message).toContain('Did you mean "www.brillianquiz.com" (E2QUIZ00000003)?')
    expect(error.message).toContain(
      'E2CRM000000001: brilliancrm.com, www.brilliancrm.com (d1crm.cloudfront.net)'
    )
    expect(error.message).toContain('E2WILD00000004: *.apps.imbit.de (d4wild.cloudfront.net, disabled)')
    expect(error.message).toContain('E2BARE00000005: no alternate domain names')
    expect(error.message).toContain('Distributions (4)')
  })

  it('says so when the account has no distributions', () => {
    expect(noDistributionError('brilliancrm.com', []).message).toContain('no CloudFront distributions at all')
  })

  it('makes no suggestion when nothing is close', () => {
    expect(noDistributionError('example.org', all).message).not.toContain('Did you mean')
  })
})

describe('describeDistributions', () => {
  it('shortens long lists', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      ...bare,
      id: `E2MANY${String(i).padStart(8, '0')}`
    }))
    const text = describeDistributions(many)
    expect(text.split('\n')).toHaveLength(26)
    expect(text).toContain('… and 5 more')
  })
})

describe('unknownIdError', () => {
  const original = new UserError('NoSuchDistribution: The specified distribution does not exist.', {
    input: 'distribution-id',
    title: 'AWS error NoSuchDistribution'
  })

  it('adds the distributions and suggests an id one typo away', () => {
    const error = unknownIdError(original, 'E2CRM000000007', all)
    expect(error.input).toBe('distribution-id')
    expect(error.title).toBe('AWS error NoSuchDistribution')
    expect(error.message).toMatch(
      /^NoSuchDistribution: The specified distribution does not exist\. Did you mean "E2CRM000000001"\?/
    )
    expect(error.message).toContain('E2QUIZ00000003: www.brillianquiz.com')
  })

  it('suggests nothing for an unrelated id, and says so when there are no distributions', () => {
    expect(unknownIdError(original, 'EXXXXXXXXXXXXX', all).message).not.toContain('Did you mean')
    expect(unknownIdError(original, 'E2CRM000000007', []).message).toContain(
      'no CloudFront distributions at all'
    )
  })
})
