import { describe, expect, it } from '@jest/globals'
import { listNames } from '../../src/common/suggest.js'
import { describeMissingName } from '../../src/deploy-beanstalk/lookup.js'

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
