/**
 * What counts as a pass: the `expect-status`, `expect-text` and `expect-header` grammars, and the judge that
 * compares one answer with them. Pure: no I/O, unit-tested on its own.
 */
import { inputError } from '../common/errors.js'
import { maskHeaderValue } from './evidence.js'
import { compilePattern, type UserPattern } from './pattern.js'

/** An inclusive range of status codes; a single code is a range of one. */
export interface StatusRange {
  from: number
  to: number
}

/** A substring the text must contain, or a regular expression it must match (`/regex/flags`, linear time). */
export type TextMatcher =
  { kind: 'substring'; text: string; caseInsensitive: boolean } | { kind: 'regex'; regex: UserPattern }

/** One `Name: value` line of `expect-header`; no matcher means the header only has to be present. */
export interface HeaderExpectation {
  /** Lower-cased, as `Headers` gives them. */
  name: string
  /** As the user wrote it, for messages. */
  display: string
  matcher?: TextMatcher
}

export interface Expectations {
  status: StatusRange[]
  text?: TextMatcher
  headers: HeaderExpectation[]
}

/** What one answer looks like to the judge. */
export interface Answered {
  status: number
  /** Lower-cased names. */
  headers: Record<string, string>
  body: string
  /** The body was longer than what was read. */
  truncated: boolean
}

/** One expectation an answer did not meet: what was expected and what came back. */
export interface Miss {
  what: 'status' | 'text' | 'header' | 'redirect'
  expected: string
  actual: string
}

const STATUS_EXAMPLE = 'a list of codes and ranges such as 200, 200-399, 2xx or "200, 301-302".'

/** Parses `expect-status`: codes (`200`), ranges (`200-399`) and classes (`2xx`), comma/space/newline separated. */
export function parseStatusRanges(input: string, value: string): StatusRange[] {
  const items = value
    .split(/[\s,]+/)
    .map(item => item.trim())
    .filter(item => item !== '')
  if (items.length === 0) throw inputError(input, value, `expected ${STATUS_EXAMPLE}`)
  return items.map(item => {
    const cls = /^([1-5])xx$/i.exec(item)
    if (cls) return { from: Number(cls[1]) * 100, to: Number(cls[1]) * 100 + 99 }
    const range = /^(\d{3})(?:-(\d{3}))?$/.exec(item)
    if (!range)
      throw inputError(input, value, `"${item}" is not a status code or range: expected ${STATUS_EXAMPLE}`)
    const from = Number(range[1])
    const to = range[2] === undefined ? from : Number(range[2])
    for (const code of [from, to]) {
      if (code < 100 || code > 599) {
        throw inputError(
          input,
          value,
          `${code} is not an HTTP status code (100 to 599): expected ${STATUS_EXAMPLE}`
        )
      }
    }
    if (from > to) throw inputError(input, value, `the range ${item} runs backwards: write ${to}-${from}.`)
    return { from, to }
  })
}

export function statusMatches(status: number, ranges: StatusRange[]): boolean {
  return ranges.some(range => status >= range.from && status <= range.to)
}

export function describeStatusRanges(ranges: StatusRange[]): string {
  return ranges.map(r => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(', ')
}

/**
 * Parses a text expectation: `/regex/flags` is a regular expression run in linear time (pattern.ts; flags among
 * i, m, s, u; d, g, v and y are accepted and change nothing about a match); anything else is a substring.
 */
export function parseTextMatcher(
  input: string,
  value: string,
  options: { caseInsensitive: boolean }
): TextMatcher {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(value)
  if (!literal) return { kind: 'substring', text: value, caseInsensitive: options.caseInsensitive }
  const [, source, flags] = literal
  const bad = [...flags].filter(flag => !'dgimsuyv'.includes(flag))
  if (bad.length > 0) {
    throw inputError(
      input,
      value,
      `"${bad.join('')}" is not a regular-expression flag: use i, m, s, u (or none), as in /version: \\d+/i.`
    )
  }
  return { kind: 'regex', regex: compilePattern(input, value, source, flags) }
}

export function textMatches(text: string, matcher: TextMatcher): boolean {
  if (matcher.kind === 'regex') return matcher.regex.test(text)
  return matcher.caseInsensitive
    ? text.toLowerCase().includes(matcher.text.toLowerCase())
    : text.includes(matcher.text)
}

export function describeTextMatcher(matcher: TextMatcher): string {
  return matcher.kind === 'regex' ? `matching ${matcher.regex.display}` : `containing "${matcher.text}"`
}

/**
 * Parses `expect-header`: one `Name: value` per line. The value is a case-insensitive substring of the
 * header's value, or `/regex/flags`; `Name:` alone only asks for the header to be there.
 */
export function parseHeaderExpectations(input: string, value: string): HeaderExpectation[] {
  return value
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line !== '')
    .map(line => {
      const at = line.indexOf(':')
      const name = (at < 0 ? line : line.slice(0, at)).trim()
      if (at < 0 || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
        throw inputError(
          input,
          line,
          'expected `Name: value` lines, such as `Content-Type: text/html` (`Name:` alone: the header must be present).'
        )
      }
      const expected = line.slice(at + 1).trim()
      return {
        name: name.toLowerCase(),
        display: name,
        matcher: expected === '' ? undefined : parseTextMatcher(input, expected, { caseInsensitive: true })
      }
    })
}

export function describeHeaderExpectation(header: HeaderExpectation): string {
  return header.matcher
    ? `${header.display} ${describeTextMatcher(header.matcher)}`
    : `${header.display} present`
}

/** Everything the expectations ask for, in words: `status 200-399; body containing "ok"`. */
export function describeExpectations(expectations: Expectations): string[] {
  return [
    `status ${describeStatusRanges(expectations.status)}`,
    ...(expectations.text ? [`body ${describeTextMatcher(expectations.text)}`] : []),
    ...expectations.headers.map(header => `header ${describeHeaderExpectation(header)}`)
  ]
}

/** Compares one answer with every expectation; an empty list is a pass. */
export function judge(answer: Answered, expectations: Expectations): Miss[] {
  const misses: Miss[] = []
  if (!statusMatches(answer.status, expectations.status)) {
    misses.push({
      what: 'status',
      expected: describeStatusRanges(expectations.status),
      actual: String(answer.status)
    })
  }
  if (expectations.text && !textMatches(answer.body, expectations.text)) {
    misses.push({
      what: 'text',
      expected: `body ${describeTextMatcher(expectations.text)}`,
      actual: answer.truncated
        ? `not in the first ${answer.body.length} characters read (the body is longer)`
        : answer.body === ''
          ? 'an empty body'
          : 'not in the body'
    })
  }
  for (const header of expectations.headers) {
    const actual = answer.headers[header.name]
    if (actual === undefined) {
      misses.push({
        what: 'header',
        expected: describeHeaderExpectation(header),
        actual: `no ${header.display} header`
      })
    } else if (header.matcher && !textMatches(actual, header.matcher)) {
      misses.push({
        what: 'header',
        expected: describeHeaderExpectation(header),
        actual: `${header.display}: ${maskHeaderValue(header.name, actual)}`
      })
    }
  }
  return misses
}
