import { describe, expect, it } from '@jest/globals'
import { closestName, editDistance, listNames, nearest } from '../../src/common/suggest.js'

describe('editDistance', () => {
  it('counts inserts, deletes and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('abc', 'abc')).toBe(0)
    expect(editDistance('', '')).toBe(0)
  })
})

describe('nearest', () => {
  it('picks the smallest distance within the limit, the first of equals', () => {
    const ids = ['E2CRM00000001', 'E2ICM00000002', 'E2CRM00000009']
    expect(nearest('E2CRM0000001', ids, 2, id => id)).toBe('E2CRM00000001')
    expect(nearest('E2CRM0000000X', ids, 2, id => id)).toBe('E2CRM00000001')
    expect(nearest('EXXXXXXXXXXXX', ids, 2, id => id)).toBeUndefined()
  })
})

describe('closestName', () => {
  const apps = ['BrillianCRM', 'BrillianICM', 'BrillianQuiz', 'brillianideas']
  it('prefers a case-insensitive match', () => {
    expect(closestName('brilliancrm', apps)).toBe('BrillianCRM')
  })
  it('finds a small typo', () => {
    expect(closestName('BrilianCRM', apps)).toBe('BrillianCRM')
    expect(closestName('BrillianQiz', apps)).toBe('BrillianQuiz')
  })
  it('finds a name containing the other', () => {
    expect(closestName('CRM-env', ['BrillianCRM-env-production-eu'])).toBe('BrillianCRM-env-production-eu')
  })
  it('suggests nothing when nothing is close', () => {
    expect(closestName('Payments', apps)).toBeUndefined()
    expect(closestName('x', [])).toBeUndefined()
  })
})

describe('listNames', () => {
  it('lists names sorted and quoted, and counts the rest', () => {
    expect(listNames([])).toBe('(none)')
    expect(listNames(['b', 'a'])).toBe('"a", "b"')
    expect(listNames(['c', 'b', 'a'], 2)).toBe('"a", "b" and 1 more')
  })
})
