import { isLoopbackHost } from '../../src/common/url.js'
import { describe, expect, it } from '@jest/globals'
import {
  decodeBody,
  dispositionOf,
  fetchProbe,
  type Answer,
  type NoAnswer
} from '../../src/check-url/http.js'
import { describeNetworkError } from '../../src/check-url/network-errors.js'
import { decideRedirect, redirectRule } from '../../src/check-url/redirects.js'
import { bustedUrl, displayUrl } from '../../src/check-url/request-url.js'

describe('the cache-buster', () => {
  it('is added to the request and never shown', () => {
    const busted = bustedUrl('https://brilliancrm.com/health?deep=1', 'abc-1')
    expect(busted).toBe('https://brilliancrm.com/health?deep=1&imbit-nocache=abc-1')
    expect(displayUrl(busted)).toBe('https://brilliancrm.com/health?deep=1')
    expect(displayUrl(bustedUrl('https://brilliancrm.com/', 'x'))).toBe('https://brilliancrm.com/')
    expect(displayUrl('https://brilliancrm.com/#top')).toBe('https://brilliancrm.com/')
  })
})

describe('isLoopbackHost', () => {
  it('knows 127/8, localhost and ::1, and nothing else', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '[::1]', '::1'].map(isLoopbackHost)).toEqual(
      Array(6).fill(true)
    )
    expect(['10.0.0.1', '127.example.com', 'brilliancrm.com', '0.0.0.0'].map(isLoopbackHost)).toEqual(
      Array(4).fill(false)
    )
  })
})

describe('decideRedirect', () => {
  const from = 'https://brilliancrm.com/'
  const follow = { followRedirects: true, visited: [from] }

  it('follows relative and absolute Locations', () => {
    expect(decideRedirect(from, '/login?next=%2F', follow)).toEqual({
      follow: true,
      url: 'https://brilliancrm.com/login?next=%2F'
    })
    expect(decideRedirect(from, 'https://www.brilliancrm.com/', follow)).toEqual({
      follow: true,
      url: 'https://www.brilliancrm.com/'
    })
  })

  it('does not follow when follow-redirects is false, and that is not fatal (the 3xx is judged)', () => {
    expect(decideRedirect(from, '/a', { followRedirects: false, visited: [from] })).toEqual({
      follow: false,
      fatal: false,
      reason: 'follow-redirects is false',
      location: 'https://brilliancrm.com/a'
    })
  })

  it('refuses a downgrade to plain HTTP, except on loopback', () => {
    expect(decideRedirect(from, 'http://brilliancrm.com/', follow)).toMatchObject({
      follow: false,
      fatal: true
    })
    expect(decideRedirect('http://127.0.0.1:8080/', '/b', follow)).toEqual({
      follow: true,
      url: 'http://127.0.0.1:8080/b'
    })
    // from a public HTTPS site, plain HTTP is refused even to this machine: the plan says "to HTTPS only"
    expect(decideRedirect(from, 'http://127.0.0.1:8080/', follow)).toMatchObject({
      follow: false,
      fatal: true
    })
    expect(redirectRule(from)).toBe('to HTTPS only')
    expect(redirectRule('http://127.0.0.1:8080/')).toBe('to HTTPS, or to plain HTTP on this machine')
  })

  it('refuses loops, long chains and non-HTTP schemes', () => {
    expect(decideRedirect(from, '/', follow)).toMatchObject({
      fatal: true,
      reason: expect.stringContaining('loop')
    })
    const visited = Array.from({ length: 11 }, (_, i) => `https://brilliancrm.com/${i}`)
    expect(decideRedirect(from, '/next', { followRedirects: true, visited })).toMatchObject({
      fatal: true,
      reason: 'more than 10 redirects in a row'
    })
    expect(decideRedirect(from, 'ftp://brilliancrm.com/', follow)).toMatchObject({ fatal: true })
    expect(decideRedirect(from, 'http://[', follow)).toMatchObject({
      fatal: true,
      reason: 'the Location header is not a URL'
    })
  })
})

describe('describeNetworkError', () => {
  const url = 'https://brilliancrm.com/health'
  const fetchFailed = (code: string, message = code) =>
    Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) })

  it('says what happened in plain words, from the cause fetch wraps', () => {
    expect(
      describeNetworkError(fetchFailed('ECONNREFUSED'), { url, timeoutMs: 10_000, timedOut: false })
    ).toEqual({
      reason: 'connection refused by brilliancrm.com (nothing listens there yet)',
      code: 'ECONNREFUSED',
      timedOut: false,
      fatal: false
    })
    expect(
      describeNetworkError(fetchFailed('ENOTFOUND'), { url, timeoutMs: 1, timedOut: false }).reason
    ).toBe('the name brilliancrm.com does not resolve (DNS)')
    expect(describeNetworkError(new Error('odd'), { url, timeoutMs: 1, timedOut: false })).toEqual({
      reason: 'odd',
      timedOut: false,
      fatal: false
    })
  })

  it('makes our own time limit a timeout, and a bad certificate final', () => {
    expect(
      describeNetworkError(new DOMException('aborted', 'AbortError'), {
        url,
        timeoutMs: 10_000,
        timedOut: true
      })
    ).toEqual({
      reason: 'the request timed out after 10s',
      timedOut: true,
      fatal: false
    })
    expect(
      describeNetworkError(fetchFailed('CERT_HAS_EXPIRED', 'certificate has expired'), {
        url,
        timeoutMs: 1,
        timedOut: false
      })
    ).toEqual({
      reason: 'the TLS certificate of brilliancrm.com is not valid: certificate has expired',
      code: 'CERT_HAS_EXPIRED',
      timedOut: false,
      fatal: true
    })
    expect(
      describeNetworkError(fetchFailed('ERR_TLS_CERT_ALTNAME_INVALID'), {
        url,
        timeoutMs: 1,
        timedOut: false
      }).fatal
    ).toBe(true)
  })
})

describe('dispositionOf', () => {
  const answer = (status: number, extra: Partial<Answer> = {}): Answer => ({
    kind: 'answer',
    url: 'https://a/',
    status,
    statusText: '',
    headers: {},
    body: '',
    truncated: false,
    redirects: [],
    ...extra
  })
  const none = (fatal: boolean): NoAnswer => ({
    kind: 'no-answer',
    url: 'https://a/',
    reason: 'x',
    timedOut: false,
    fatal,
    redirects: []
  })

  it('5xx, 429, 408 and no answer are "not yet"; other misses are definite; some things are final', () => {
    expect(dispositionOf(answer(200), false)).toBe('pass')
    expect([500, 502, 503, 504, 429, 408].map(s => dispositionOf(answer(s), true))).toEqual(
      Array(6).fill('not-yet')
    )
    expect([200, 301, 404, 403].map(s => dispositionOf(answer(s), true))).toEqual(Array(4).fill('mismatch'))
    expect(dispositionOf(none(false), true)).toBe('not-yet')
    expect(dispositionOf(none(true), true)).toBe('fatal')
    const refused = answer(301, { unfollowed: { location: 'http://a/', reason: 'plain HTTP', fatal: true } })
    expect(dispositionOf(refused, false)).toBe('fatal')
  })
})

describe('decodeBody', () => {
  it('decodes in the charset the Content-Type names, UTF-8 otherwise', () => {
    expect(decodeBody(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'text/html; charset=ISO-8859-1')).toBe('café')
    expect(decodeBody(new TextEncoder().encode('café'), 'text/html')).toBe('café')
    expect(decodeBody(new TextEncoder().encode('café'), 'text/html; charset=nonsense')).toBe('café')
  })
})

describe('fetchProbe (with a stand-in for fetch)', () => {
  type Call = { url: string; init: RequestInit }
  function fakeFetch(answers: Record<string, () => Response>): { calls: Call[]; fetch: typeof fetch } {
    const calls: Call[] = []
    const standIn = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input)
      calls.push({ url, init: init ?? {} })
      const path = new URL(url).pathname
      const answer = answers[path]
      if (!answer)
        throw Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' })
        })
      return answer()
    }) as typeof fetch
    return { calls, fetch: standIn }
  }
  const options = { followRedirects: true, timeoutMs: 5000, bust: 'k-1' }

  it('GETs past caches (header and query), follows redirects by hand, and reports the chain', async () => {
    const { calls, fetch } = fakeFetch({
      '/': () => new Response(null, { status: 301, headers: { location: '/app/' } }),
      '/app/': () =>
        new Response(null, { status: 302, headers: { location: 'https://brilliancrm.com/app/home' } }),
      '/app/home': () =>
        new Response('<h1>Welcome</h1>', { status: 200, headers: { 'content-type': 'text/html' } })
    })
    const outcome = await fetchProbe(fetch)('https://brilliancrm.com/', options)
    expect(outcome).toMatchObject({
      kind: 'answer',
      url: 'https://brilliancrm.com/app/home',
      status: 200,
      body: '<h1>Welcome</h1>',
      truncated: false,
      redirects: [
        { url: 'https://brilliancrm.com/', status: 301 },
        { url: 'https://brilliancrm.com/app/', status: 302 }
      ]
    })
    expect(calls.map(call => call.url)).toEqual([
      'https://brilliancrm.com/?imbit-nocache=k-1',
      'https://brilliancrm.com/app/',
      'https://brilliancrm.com/app/home'
    ])
    for (const call of calls) {
      expect(call.init).toMatchObject({ method: 'GET', redirect: 'manual' })
      expect((call.init.headers as Record<string, string>)['cache-control']).toBe('no-cache')
    }
  })

  it('stops at a redirect it must not follow and hands the 3xx back', async () => {
    const { fetch } = fakeFetch({
      '/': () => new Response('moved', { status: 301, headers: { location: 'http://brilliancrm.com/' } })
    })
    const outcome = await fetchProbe(fetch)('https://brilliancrm.com/', options)
    expect(outcome).toMatchObject({
      kind: 'answer',
      status: 301,
      unfollowed: { location: 'http://brilliancrm.com/', fatal: true }
    })
  })

  it('reads at most 1 MiB of a body', async () => {
    const { fetch } = fakeFetch({ '/big': () => new Response('x'.repeat(3 * 1024 * 1024)) })
    const outcome = await fetchProbe(fetch)('https://brilliancrm.com/big', options)
    expect(outcome.kind === 'answer' && [outcome.body.length, outcome.truncated]).toEqual([1024 * 1024, true])
  })

  it('turns a network error into "no answer", at the URL of the hop that failed', async () => {
    const { fetch } = fakeFetch({
      '/': () => new Response(null, { status: 302, headers: { location: '/gone' } })
    })
    const outcome = await fetchProbe(fetch)('https://brilliancrm.com/', options)
    expect(outcome).toMatchObject({
      kind: 'no-answer',
      url: 'https://brilliancrm.com/gone',
      code: 'ECONNREFUSED',
      fatal: false,
      redirects: [{ url: 'https://brilliancrm.com/', status: 302 }]
    })
  })
})
