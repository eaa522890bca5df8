import { describe, expect, it } from '@jest/globals'
import type { CheckResult, UrlResult } from '../../src/check-url/check.js'
import {
  parseHeaderExpectations,
  parseStatusRanges,
  parseTextMatcher
} from '../../src/check-url/expectations.js'
import type { Answer } from '../../src/check-url/http.js'
import { failureMessage, outputsFor, summary, type ReportContext } from '../../src/check-url/report.js'
import { renderSummary } from '../../src/common/summary.js'
import { summaryFaults } from '../helpers/summary-lint.js'

const context: ReportContext = {
  expectations: {
    status: parseStatusRanges('expect-status', '200-399'),
    text: parseTextMatcher('expect-text', 'Welcome', { caseInsensitive: false }),
    headers: parseHeaderExpectations('expect-header', 'X-Version: 1.4')
  },
  timeoutMs: 180_000,
  followRedirects: true
}

const wrongBody: Answer = {
  kind: 'answer',
  url: 'https://www.brilliancrm.com/',
  status: 200,
  statusText: 'OK',
  headers: { 'content-type': 'text/html', 'x-version': '1.3', 'x-cache': 'Miss from cloudfront', etag: 'x' },
  body: '<html>\n<h1>Maintenance</h1> DATABASE_PASSWORD=hunter2 AKIAIOSFODNN7EXAMPLE</html>',
  truncated: false,
  redirects: [{ url: 'https://brilliancrm.com/', status: 301 }]
}

const failed: UrlResult = {
  url: 'https://brilliancrm.com/',
  passed: false,
  why: 'settled',
  attempts: 9,
  durationMs: 31_250,
  lastProbeMs: 120,
  last: wrongBody,
  misses: [
    { what: 'text', expected: 'body containing "Welcome"', actual: 'not in the body' },
    { what: 'header', expected: 'X-Version containing "1.4"', actual: 'X-Version: 1.3' }
  ]
}

const passed: UrlResult = {
  url: 'https://brilliancrm.com/health',
  passed: true,
  why: 'passed',
  attempts: 4,
  durationMs: 1830,
  lastProbeMs: 35,
  last: { ...wrongBody, url: 'https://brilliancrm.com/health', status: 204, redirects: [] },
  misses: []
}

describe('failureMessage', () => {
  it('names the URL, why it stopped, what was expected, what came back, and the evidence, secrets masked', () => {
    expect(failureMessage(failed, context)).toBe(
      [
        'https://brilliancrm.com/ failed the site check: it kept answering this way for 30s (9 attempts); an old version still answering would have gone by then.',
        'Expected: status 200-399; body containing "Welcome"; header X-Version containing "1.4".',
        'Got: 200 OK from https://www.brilliancrm.com/ (after 1 redirect).',
        'Missed: expected a body containing "Welcome": not in the body.',
        'Missed: expected header X-Version containing "1.4", got X-Version: 1.3.',
        'Redirects: https://brilliancrm.com/ (301) → https://www.brilliancrm.com/',
        'Headers: x-version: 1.3; content-type: text/html; x-cache: Miss from cloudfront',
        'Body (first 500 characters, secrets masked): <html> <h1>Maintenance</h1> DATABASE_PASSWORD=*** ***</html>'
      ].join('\n')
    )
  })

  it('says when nothing came back in time', () => {
    const result: UrlResult = {
      ...failed,
      why: 'timeout',
      attempts: 1,
      misses: [],
      last: {
        kind: 'no-answer',
        url: 'https://brilliancrm.com/',
        reason: 'the request timed out after 2s',
        timedOut: true,
        fatal: false,
        redirects: []
      }
    }
    expect(failureMessage(result, { ...context, timeoutMs: 2000 })).toBe(
      [
        'https://brilliancrm.com/ failed the site check: it did not pass within the timeout (2s, 1 attempt).',
        'Expected: status 200-399; body containing "Welcome"; header X-Version containing "1.4".',
        'Got: no answer: the request timed out after 2s.',
        'Nothing came back in time: each request is given at most 10s (less when the timeout leaves less).'
      ].join('\n')
    )
  })

  it('tells how to check a redirect that was not followed', () => {
    const redirect: UrlResult = {
      ...failed,
      why: 'settled',
      misses: [{ what: 'status', expected: '200', actual: '301' }],
      last: {
        ...wrongBody,
        url: 'https://brilliancrm.com/',
        status: 301,
        statusText: 'Moved Permanently',
        body: '',
        redirects: [],
        headers: { location: 'https://www.brilliancrm.com/' },
        unfollowed: {
          location: 'https://www.brilliancrm.com/',
          reason: 'follow-redirects is false',
          fatal: false
        }
      }
    }
    const message = failureMessage(redirect, { ...context, followRedirects: false })
    expect(message).toContain('Got: 301 Moved Permanently to https://www.brilliancrm.com/ (not followed).')
    expect(message).toContain(
      'The redirect was not followed (follow-redirects: false); set follow-redirects: true to check where it leads, or expect the 301.'
    )
    expect(message).toContain('Headers: location: https://www.brilliancrm.com/')
  })
})

describe('outputsFor', () => {
  it('describes the one URL', () => {
    expect(outputsFor({ results: [passed], durationMs: 1830.4 })).toEqual({
      status: '204',
      url: 'https://brilliancrm.com/health',
      'duration-ms': 1830,
      ok: true
    })
  })

  it('describes the first failed URL when there are several; ok only when all passed', () => {
    expect(outputsFor({ results: [passed, failed], durationMs: 31_250 })).toEqual({
      status: '200',
      url: 'https://www.brilliancrm.com/',
      'duration-ms': 31_250,
      ok: false
    })
  })
})

describe('summary', () => {
  it('shows each URL with its result and timing, then the evidence of each failure', () => {
    const check: CheckResult = { results: [passed, failed], durationMs: 31_250 }
    const text = renderSummary(summary(check, context))
    expect(text).toMatch(
      /^### ❌ Site check\n\n1 of 2 URLs failed the check after 31s\.\n\n\*\*Why\*\*\n\nhttps:\/\/brilliancrm.com\/: answered 200 OK.*: expected a body/
    )
    expect(text).toContain('**What to do**')
    expect(summaryFaults(text)).toEqual([])
    expect(text).toContain('| https://brilliancrm.com/health | ✅ passed | 204 | — | 4 | 1.8s | 35ms |')
    expect(text).toContain(
      '| https://brilliancrm.com/ | ❌ failed (see Why) | 200 | https://www.brilliancrm.com/ | 9 | 31s | 120ms |'
    )
    expect(text).toContain('<details><summary>Evidence for https://brilliancrm.com/</summary>')
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('AKIA')
  })

  it('has a one-line headline when everything passed', () => {
    expect(renderSummary(summary({ results: [passed], durationMs: 1830 }, context))).toContain(
      '### ✅ Site check\n\nThe site answered as expected (1.8s).'
    )
  })
})

describe('secrets in what the summary shows of a redirect', () => {
  it('masks a token in the final URL', () => {
    const result: UrlResult = {
      ...failed,
      last: { ...wrongBody, url: 'https://brilliancrm.com/cb?access_token=abcdef123' }
    }
    const text = renderSummary(summary({ results: [result], durationMs: 1000 }, context))
    expect(text).toContain('https://brilliancrm.com/cb?access_token=***')
    expect(text).not.toContain('abcdef123')
  })
})
