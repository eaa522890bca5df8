import { describe, expect, it } from '@jest/globals'
import { fenced, renderSummary, table, uniqueLines } from '../../src/common/summary.js'
import { summaryFaults } from '../helpers/summary-lint.js'

describe('renderSummary', () => {
  it('puts the headline first, then why and what to do, then the facts with a value, then the details', () => {
    const text = renderSummary({
      title: 'Elastic Beanstalk',
      tone: 'failure',
      headline: '`v2` failed on BrillianCRM-env; `v1` runs again, Green, after the rollback.',
      why: ['Instance deployment failed.', 'Failed to pull the image.', 'Instance deployment failed'],
      whatToDo: ['Failed to pull the image.', 'Make the package public.'],
      facts: [
        ['Application', 'BrillianCRM'],
        ['Promoted from', undefined],
        ['Configuration', '—'],
        ['Health', 'Green']
      ],
      details: [
        { title: 'Beanstalk events (2)', body: fenced(['one', 'two ```']) },
        { title: 'Empty', body: '  ' }
      ]
    })
    expect(text).toBe(
      [
        '### ❌ Elastic Beanstalk',
        '',
        '`v2` failed on BrillianCRM-env; `v1` runs again, Green, after the rollback.',
        '',
        '**Why**',
        '',
        '- Instance deployment failed.',
        '- Failed to pull the image.',
        '',
        '**What to do**',
        '',
        'Make the package public.',
        '',
        '| Fact | Value |',
        '|---|---|',
        '| Application | BrillianCRM |',
        '| Health | Green |',
        '',
        '<details><summary>Beanstalk events (2)</summary>',
        '',
        '```text',
        'one',
        "two '''",
        '```',
        '',
        '</details>',
        ''
      ].join('\n')
    )
    expect(summaryFaults(text)).toEqual([])
  })

  it('leaves out a facts table when no fact has a value, and rows of other tables without a value', () => {
    const text = renderSummary({
      title: 'Site check',
      tone: 'success',
      headline: 'The site answered as expected.',
      facts: [['Promoted from', undefined]],
      tables: [
        {
          headings: ['URL', 'Result'],
          rows: [
            ['https://a.example', '✅ passed'],
            ['https://b.example', undefined]
          ]
        }
      ]
    })
    expect(text).not.toContain('| Fact | Value |')
    expect(text).toContain('| URL | Result |\n|---|---|\n| https://a.example | ✅ passed |')
    expect(text).not.toContain('b.example')
  })
})

describe('uniqueLines and table', () => {
  it('keeps each message once, ignoring case of spacing and a final full stop', () => {
    expect(uniqueLines(['a  b.', 'a b', '', 'c'], new Set(['c.']))).toEqual(['a  b.'])
  })
  it('writes no table at all when every row lacks a value', () => {
    expect(table(['Fact', 'Value'], [['x', '—']])).toBe('')
  })
})

describe('summaryFaults (the checker the demo summaries go through)', () => {
  it('finds a table without headings, a row without a value and a message said twice', () => {
    const faults = summaryFaults(
      [
        '### Elastic Beanstalk',
        '',
        '| | |',
        '|---|---|',
        '| Application | BrillianCRM |',
        '| Promoted from | — |',
        '',
        '**Why:** Deploying v2 failed: the image could not be pulled.',
        '',
        'Deploying v2 failed: the image could not be pulled.'
      ].join('\n')
    )
    expect(faults).toEqual([
      'a table without headings',
      'a table row without a value: Promoted from',
      'said twice: Deploying v2 failed: the image could not be pulled'
    ])
  })
})
