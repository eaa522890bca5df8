import { describe, expect, it } from '@jest/globals'
import {
  closestName,
  describeMissingName,
  editDistance,
  listNames
} from '../../src/deploy-beanstalk/names.js'

describe('editDistance', () => {
  it('counts inserts, deletes and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('abc', 'abc')).toBe(0)
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

describe('describeMissingName', () => {
  it('lists names, suggests the closest and names the input', () => {
    const text = describeMissingName({
      kind: 'application',
      wanted: 'brilliancrm',
      region: 'eu-central-1',
      existing: ['BrillianCRM', 'BrillianQuiz'],
      otherRegions: []
    })
    expect(text).toContain('No application named "brilliancrm" exists in eu-central-1')
    expect(text).toContain('Did you mean "BrillianCRM"? Set application-name to "BrillianCRM".')
    expect(text).toContain('Applications in eu-central-1: "BrillianCRM", "BrillianQuiz".')
  })
  it('says which application an environment belongs to', () => {
    const text = describeMissingName({
      kind: 'environment',
      wanted: 'BrillianQuiz-env',
      region: 'eu-central-1',
      application: 'BrillianCRM',
      existing: ['BrillianCRM-env'],
      otherApplication: 'BrillianQuiz',
      otherRegions: []
    })
    expect(text).toContain('belongs to application "BrillianQuiz", not "BrillianCRM"')
  })
  it('points at another region', () => {
    const text = describeMissingName({
      kind: 'environment',
      wanted: 'Shop-env',
      region: 'eu-central-1',
      application: 'Shop',
      existing: [],
      otherRegions: ['eu-west-1']
    })
    expect(text).toContain('"Shop-env" exists in eu-west-1: set region to eu-west-1')
    expect(text).toContain('(none)')
  })
  it('shortens long lists', () => {
    const names = Array.from({ length: 14 }, (_, i) => `app-${String(i).padStart(2, '0')}`)
    expect(listNames(names)).toMatch(/"app-09" and 4 more$/)
  })
})
