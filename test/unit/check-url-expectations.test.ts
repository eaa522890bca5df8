import { describe, expect, it } from '@jest/globals'
import {
  describeExpectations,
  describeTextMatcher,
  judge,
  parseHeaderExpectations,
  parseStatusRanges,
  parseTextMatcher,
  statusMatches,
  textMatches,
  type Answered,
  type Expectations
} from '../../src/check-url/expectations.js'

const status = (value: string) => parseStatusRanges('expect-status', value)

describe('expect-status', () => {
  it('reads codes, ranges and classes, separated by commas, spaces or lines', () => {
    expect(status('200')).toEqual([{ from: 200, to: 200 }])
    expect(status('200-399')).toEqual([{ from: 200, to: 399 }])
    expect(status('2xx, 301-302\n418')).toEqual([
      { from: 200, to: 299 },
      { from: 301, to: 302 },
      { from: 418, to: 418 }
    ])
    expect(status('3XX')).toEqual([{ from: 300, to: 399 }])
  })

  it('matches a status inside any range, and nothing else', () => {
    const ranges = status('200, 301-302')
    expect([199, 200, 201, 300, 301, 302, 303].filter(code => statusMatches(code, ranges))).toEqual([
      200, 301, 302
    ])
  })

  it('refuses what is not a code, a code out of range, and a backwards range, naming the input', () => {
    expect(() => status('ok')).toThrow(
      `Input 'expect-status' is "ok": "ok" is not a status code or range: expected a list of codes and ranges such as 200, 200-399, 2xx or "200, 301-302".`
    )
    expect(() => status('200-700')).toThrow(`700 is not an HTTP status code (100 to 599)`)
    expect(() => status('099')).toThrow(`99 is not an HTTP status code (100 to 599)`)
    expect(() => status('399-200')).toThrow(
      `Input 'expect-status' is "399-200": the range 399-200 runs backwards: write 200-399.`
    )
    expect(() => status('6xx')).toThrow('"6xx" is not a status code or range')
    expect(() => status(' , ')).toThrow(`Input 'expect-status' is " , ": expected a list of codes`)
  })
})

describe('expect-text', () => {
  const text = (value: string) => parseTextMatcher('expect-text', value, { caseInsensitive: false })

  it('is a case-sensitive substring unless written as /regex/flags', () => {
    const plain = text('Version 1.4')
    expect(plain).toEqual({ kind: 'substring', text: 'Version 1.4', caseInsensitive: false })
    expect(textMatches('<p>Version 1.4.2</p>', plain)).toBe(true)
    expect(textMatches('<p>version 1.4.2</p>', plain)).toBe(false)
    // A dot in a substring is a dot.
    expect(textMatches('Version 1x4', plain)).toBe(false)
  })

  it('reads /regex/flags, with the flags', () => {
    const regex = text('/version:\\s*1\\.4/i')
    expect(regex.kind).toBe('regex')
    expect(textMatches('VERSION:   1.4', regex)).toBe(true)
    expect(textMatches('version: 1x4', regex)).toBe(false)
    expect(textMatches('line one\nok', text('/^ok$/m'))).toBe(true)
    expect(textMatches('line one\nok', text('/^ok$/'))).toBe(false)
  })

  it('drops g and y, which would make the same regex answer differently on the next probe', () => {
    const regex = text('/ok/g')
    expect(regex.kind === 'regex' && regex.regex.flags).toBe('')
    expect([textMatches('ok', regex), textMatches('ok', regex), textMatches('ok', regex)]).toEqual([
      true,
      true,
      true
    ])
  })

  it('refuses an unknown flag and a regex that does not compile, with the way out', () => {
    expect(() => text('/ok/x')).toThrow(
      `Input 'expect-text' is "/ok/x": "x" is not a regular-expression flag: use i, m, s, u (or none), as in /version: \\d+/i.`
    )
    expect(() => text('/ok(/')).toThrow(
      /^Input 'expect-text' is "\/ok\(\/": it is not a valid regular expression \(.+\)\. To look for the text as it is, leave out the surrounding slashes\.$/
    )
  })

  it('refuses what a linear-time engine cannot run (backreferences, lookaround), saying why and what to write', () => {
    for (const pattern of ['/(ab)\\1/', '/(?<w>a)\\k<w>/']) {
      expect(() => text(pattern)).toThrow(
        /it uses a backreference .*linear-time engine \(RE2\).*write the repeated text out/
      )
    }
    for (const pattern of ['/price: 10(?= EUR)/', '/(?<!x)ok/', '/a(?!b)/', '/(?<=v)1/']) {
      expect(() => text(pattern)).toThrow(
        /it uses lookahead or lookbehind .*match the neighbouring text itself/
      )
    }
    // an escaped backslash or parenthesis is no such construct
    expect(text('/a\\\\1/').kind).toBe('regex')
    expect(text('/\\(?=/').kind).toBe('regex')
  })

  it('matches a catastrophic pattern in linear time: /(a+)+$/ against a megabyte of a…b', () => {
    const regex = text('/(a+)+$/')
    expect(textMatches(`${'a'.repeat(1024 * 1024)}b`, regex)).toBe(false)
    expect(textMatches('aaa', regex)).toBe(true)
    expect(describeTextMatcher(regex)).toBe('matching /(a+)+$/')
  })

  it('treats a lone slash, or slashes inside the text, as a substring', () => {
    expect(text('/').kind).toBe('substring')
    expect(text('a/b/c').kind).toBe('substring')
    expect(text('//').kind).toBe('substring')
  })
})

describe('expect-header', () => {
  const headers = (value: string) => parseHeaderExpectations('expect-header', value)

  it('reads Name: value lines; the value a case-insensitive substring, /regex/, or nothing (present)', () => {
    const parsed = headers('Content-Type: text/HTML\nX-Version: /^1\\.4\\./\n\nStrict-Transport-Security:')
    expect(parsed.map(h => [h.name, h.display, h.matcher?.kind])).toEqual([
      ['content-type', 'Content-Type', 'substring'],
      ['x-version', 'X-Version', 'regex'],
      ['strict-transport-security', 'Strict-Transport-Security', undefined]
    ])
    expect(textMatches('text/html; charset=utf-8', parsed[0].matcher!)).toBe(true)
  })

  it('keeps colons inside the value (URLs)', () => {
    const [location] = headers('Location: https://brilliancrm.com/')
    expect(location.matcher).toEqual({
      kind: 'substring',
      text: 'https://brilliancrm.com/',
      caseInsensitive: true
    })
  })

  it('refuses a line without a name and colon', () => {
    expect(() => headers('Content-Type text/html')).toThrow(
      'Input \'expect-header\' is "Content-Type text/html": expected `Name: value` lines, such as `Content-Type: text/html` (`Name:` alone: the header must be present).'
    )
    expect(() => headers(': x')).toThrow('Input \'expect-header\' is ": x"')
    expect(() => headers('Bad Name: x')).toThrow('Input \'expect-header\' is "Bad Name: x"')
  })

  it('is empty when the input is', () => {
    expect(headers('')).toEqual([])
  })
})

describe('judge', () => {
  const expectations: Expectations = {
    status: parseStatusRanges('expect-status', '200-399'),
    text: parseTextMatcher('expect-text', 'Welcome', { caseInsensitive: false }),
    headers: parseHeaderExpectations('expect-header', 'X-Version: 1.4\nStrict-Transport-Security:')
  }
  const answer = (over: Partial<Answered>): Answered => ({
    status: 200,
    headers: { 'x-version': '1.4.2', 'strict-transport-security': 'max-age=63072000' },
    body: '<h1>Welcome</h1>',
    truncated: false,
    ...over
  })

  it('passes an answer that meets every expectation', () => {
    expect(judge(answer({}), expectations)).toEqual([])
  })

  it('lists every miss with what was expected and what came back', () => {
    expect(
      judge(answer({ status: 404, body: 'Not Found', headers: { 'x-version': '1.3.9' } }), expectations)
    ).toEqual([
      { what: 'status', expected: '200-399', actual: '404' },
      { what: 'text', expected: 'body containing "Welcome"', actual: 'not in the body' },
      { what: 'header', expected: 'X-Version containing "1.4"', actual: 'X-Version: 1.3.9' },
      {
        what: 'header',
        expected: 'Strict-Transport-Security present',
        actual: 'no Strict-Transport-Security header'
      }
    ])
  })

  it('says when the body was empty, or longer than what was read', () => {
    expect(judge(answer({ body: '' }), expectations)[0].actual).toBe('an empty body')
    expect(judge(answer({ body: 'x'.repeat(10), truncated: true }), expectations)[0].actual).toBe(
      'not in the first 10 characters read (the body is longer)'
    )
  })

  it('describes the expectations in words, for the plan and the errors', () => {
    expect(describeExpectations(expectations)).toEqual([
      'status 200-399',
      'body containing "Welcome"',
      'header X-Version containing "1.4"',
      'header Strict-Transport-Security present'
    ])
  })
})

describe('judge keeps secrets out of what it reports', () => {
  it('masks the value of a cookie header that did not match', () => {
    const expectations: Expectations = {
      status: parseStatusRanges('expect-status', '200'),
      headers: parseHeaderExpectations('expect-header', 'Set-Cookie: lang=')
    }
    const answered: Answered = {
      status: 200,
      headers: { 'set-cookie': 'sid=s3cr3t' },
      body: '',
      truncated: false
    }
    expect(judge(answered, expectations)).toEqual([
      { what: 'header', expected: 'Set-Cookie containing "lang="', actual: 'Set-Cookie: ***' }
    ])
  })
})
