import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import { failureParts, fenced, renderSummary, table, uniqueLines } from '../../src/common/summary.js'
import { layoutFaults, summaryFaults } from '../helpers/summary-lint.js'

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
  it('leaves out a column without a value in any row', () => {
    expect(
      table(
        ['URL', 'Status', 'Final URL', 'Time'],
        [
          ['https://a.example', 200, undefined, '1s'],
          ['https://b.example', 500, '—', '2s']
        ]
      )
    ).toBe(
      '| URL | Status | Time |\n|---|---|---|\n| https://a.example | 200 | 1s |\n| https://b.example | 500 | 2s |'
    )
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

describe('warnings, messages of several lines, failureParts', () => {
  it('puts warnings after What to do, each once; keeps the line breaks of a message of several lines', () => {
    const text = renderSummary({
      title: 'Elastic Beanstalk',
      tone: 'failure',
      headline: 'Nothing was deployed to CRM-env.',
      why: ['No environment CRM-env in eu-central-1.\nEnvironments (2):\n  CRM-prod\n  CRM-staging'],
      whatToDo: ['Check environment-name.'],
      warnings: ['The platform retires on 2026-06-30.', 'Check environment-name.']
    })
    expect(text).toContain(
      '**Why**\n\nNo environment CRM-env in eu-central-1.<br>Environments (2):<br>CRM-prod<br>CRM-staging\n\n**What to do**\n\nCheck environment-name.\n\n⚠️ The platform retires on 2026-06-30.\n'
    )
    expect([...summaryFaults(text), ...layoutFaults(text)]).toEqual([])
  })

  it('failureParts: the reason under its title and the fix; the next step by kind when the error names none', () => {
    const denied = Object.assign(
      new Error('User is not authorized to perform: cloudfront:CreateInvalidation'),
      {
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 }
      }
    )
    expect(failureParts(denied)).toEqual({
      why: [
        expect.stringMatching(
          /^AWS permission missing: The role this job assumed may not call cloudfront:CreateInvalidation/
        )
      ],
      whatToDo: [expect.stringMatching(/^Add cloudfront:CreateInvalidation to the role's policy/)]
    })
    // an AWS error's code is said once
    const other = Object.assign(new Error('Bad value'), {
      name: 'InvalidParameterValue',
      $fault: 'client',
      $metadata: {}
    })
    expect(failureParts(other)).toEqual({
      why: ['InvalidParameterValue: Bad value'],
      whatToDo: ["Fix what AWS's message names, then run the step again."]
    })
    expect(failureParts(new Error('boom')).whatToDo).toEqual([expect.stringContaining('report the bug')])
    // an input's message carries its own fix
    expect(failureParts(new UserError("Input 'paths' is empty: expected /*.", { input: 'paths' }))).toEqual({
      why: ["Input 'paths': Input 'paths' is empty: expected /*."],
      whatToDo: []
    })
  })
})

describe('layoutFaults (the demo summaries go through it too)', () => {
  it('finds a summary that does not start with the signed heading and headline, and a failure without Why or What to do', () => {
    expect(layoutFaults('<h3>Elastic Beanstalk: ❌ Deployment failed</h3>\n\n| | |\n|---|---|\n')).toEqual([
      'the first block is not a heading with the outcome’s sign'
    ])
    expect(
      layoutFaults('### ❌ Site check\n\n**Why:** it failed.\n\n| Fact | Value |\n|---|---|\n| a | b |\n')
    ).toEqual([
      'no headline sentence right under the heading',
      'a failure without **Why** right under the headline',
      'a failure without **What to do** right after the Why'
    ])
    expect(layoutFaults('### ✅ Site check\n\nPassed.\n\n**Why**\n\nno reason\n')).toEqual([
      'a **Why** in a summary that did not fail'
    ])
  })
})
