/**
 * check-url end to end: the real bundle (dist/check-url/index.js), run as the runner runs it, against small
 * web sites on 127.0.0.1 that each test starts (some over HTTPS, with a self-signed certificate made by
 * openssl). Short timeouts keep every test well under 5 s; the pacing, the heartbeat and long timeouts are
 * tested in process on the fake clock (test/unit/check-url-check.test.ts).
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  type BundleRun,
  type Certificate,
  errors,
  runBundle,
  type Script,
  selfSignedCertificate,
  type Site,
  startSite
} from '../../sandbox/index.js'

let site: Site | undefined
afterEach(async () => {
  await site?.close()
  site = undefined
})

async function serve(routes: Record<string, Script>, tls?: Certificate): Promise<Site> {
  site = await startSite(routes, { tls })
  return site
}

function check(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<BundleRun> {
  return runBundle('check-url', { inputs: { timeout: '4s', ...inputs }, env, timeoutMs: 15_000 })
}

describe('check-url', () => {
  it('a site answering 503 three times, then 200, passes; outputs and summary say so', async () => {
    const s = await serve({
      '/health': [
        { status: 503, body: 'starting' },
        { status: 503, body: 'starting' },
        { status: 503, body: 'starting' },
        { status: 200, body: '{"status":"ok"}', headers: { 'content-type': 'application/json' } }
      ]
    })
    const run = await check({ url: s.url('/health'), 'expect-text': '"status":"ok"' })
    expect(errors(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs).toEqual({
      status: '200',
      url: s.url('/health'),
      'duration-ms': expect.stringMatching(/^\d+$/),
      ok: 'true'
    })
    // 250 ms + 500 ms + 1 s between the four tries.
    expect(Number(run.outputs['duration-ms'])).toBeGreaterThanOrEqual(1750)
    expect(run.stdout).toContain(`${s.url('/health')}: 503 Service Unavailable, but expected status 200-399`)
    expect(run.stdout).toMatch(/: 200 OK \(attempt 4, [\d.]+s\): passed/)
    expect(run.summary).toContain('### ✅ Site check\n\nThe site answered as expected')
    expect(run.summary).toMatch(
      // no Final URL column: no redirect, so no row has one
      new RegExp(`\\| ${s.url('/health')} \\| ✅ passed \\| 200 \\| 4 \\| [\\d.]+s \\|`)
    )
    // GET, past every cache: a no-cache header and a query parameter unique to each request.
    expect(s.requests).toHaveLength(4)
    for (const request of s.requests) {
      expect(request.method).toBe('GET')
      expect(request.headers['cache-control']).toBe('no-cache')
      expect(request.headers['user-agent']).toMatch(/^imbit-actions-check-url\//)
    }
    expect(new Set(s.requests.map(r => r.query.get('imbit-nocache'))).size).toBe(4)
  })

  it('a wrong body fails with the evidence: what was expected, what came back, secrets masked', async () => {
    const s = await serve({
      '/': [
        {
          status: 200,
          headers: { 'x-cache': 'Miss from cloudfront' },
          body: '<html>\n<h1>Maintenance</h1>\n<pre>DB_PASSWORD=hunter2 key AKIAIOSFODNN7EXAMPLE</pre></html>'
        }
      ]
    })
    const run = await check({ url: s.url('/'), 'expect-text': 'Welcome to BrillianCRM', timeout: '2s' })
    expect(run.code).toBe(1)
    expect(errors(run)).toHaveLength(1)
    const [error] = errors(run)
    expect(error.title).toBe('Site check failed')
    expect(error.message.split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${s.url('/')} failed the site check: it did not pass within the timeout \\(2s, \\d+ attempts\\)\\.$`
        )
      ),
      'Expected: status 200-399; body containing "Welcome to BrillianCRM".',
      'Got: 200 OK.',
      'Missed: expected a body containing "Welcome to BrillianCRM": not in the body.',
      'Headers: content-type: text/html; charset=utf-8; x-cache: Miss from cloudfront',
      'Body (first 500 characters, secrets masked): <html> <h1>Maintenance</h1> <pre>DB_PASSWORD=*** key ***</pre></html>'
    ])
    expect(run.outputs).toMatchObject({ status: '200', url: s.url('/'), ok: 'false' })
    expect(run.summary).toContain('### ❌ Site check\n\nThe site check failed after')
    expect(run.summary).toContain('Evidence for')
    for (const text of [run.stdout, run.summary]) {
      expect(text).not.toContain('hunter2')
      expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE')
    }
    expect(run.durationMs).toBeLessThan(5000)
  })

  it('follows a redirect chain and reports the final URL', async () => {
    const s = await serve({
      '/': [{ status: 301, headers: { location: '/app/' } }],
      '/app/': [{ status: 302, headers: { location: '/app/home' } }],
      '/app/home': [{ status: 200, body: '<h1>Welcome</h1>' }]
    })
    const run = await check({ url: s.url('/'), 'expect-text': 'Welcome' })
    expect(errors(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ status: '200', url: s.url('/app/home'), ok: 'true' })
    expect(run.stdout).toContain(`200 OK from ${s.url('/app/home')} (after 2 redirects)`)
    expect(run.summary).toContain(`| ${s.url('/')} | ✅ passed | 200 | ${s.url('/app/home')} |`)
    expect(s.requests.map(r => r.path)).toEqual(['/', '/app/', '/app/home'])
  })

  it('does not follow a redirect when follow-redirects is false: the 3xx is judged, and fails a 200 check', async () => {
    const s = await serve({
      '/': [{ status: 301, headers: { location: '/app/' } }],
      '/app/': [{ status: 200, body: 'Welcome' }]
    })
    const run = await check({
      url: s.url('/'),
      'follow-redirects': 'false',
      'expect-status': '200',
      timeout: '2s'
    })
    expect(run.code).toBe(1)
    const [error] = errors(run)
    expect(error.message).toContain(`Got: 301 Moved Permanently to ${s.url('/app/')} (not followed).`)
    expect(error.message).toContain('Missed: expected status 200.')
    expect(error.message).toContain('The redirect was not followed (follow-redirects: false)')
    expect(run.outputs).toMatchObject({ status: '301', url: s.url('/'), ok: 'false' })
    expect(s.requests.map(r => r.path).every(path => path === '/')).toBe(true)
  })

  it('checks the redirect itself with follow-redirects: false, expect-status and expect-header', async () => {
    const s = await serve({ '/': [{ status: 308, headers: { location: '/app/' } }] })
    const run = await check({
      url: s.url('/'),
      'follow-redirects': 'false',
      'expect-status': '301, 308',
      'expect-header': `Location: /app/`
    })
    expect(errors(run)).toEqual([])
    expect(run.outputs).toMatchObject({ status: '308', url: s.url('/'), ok: 'true' })
  })

  it('a server that never answers ends at the timeout with a clear message', async () => {
    const s = await serve({ '/health': ['never'] })
    const run = await check({ url: s.url('/health'), timeout: '2s' })
    expect(run.code).toBe(1)
    expect(errors(run).map(e => e.message)).toEqual([
      [
        `${s.url('/health')} failed the site check: it did not pass within the timeout (2s, 1 attempt).`,
        'Expected: status 200-399.',
        'Got: no answer: the request timed out after 2s.',
        'Nothing came back in time: each request is given at most 10s (less when the timeout leaves less).'
      ].join('\n')
    ])
    expect(run.outputs).toMatchObject({ status: '', url: s.url('/health'), ok: 'false' })
    const duration = Number(run.outputs['duration-ms'])
    expect(duration).toBeGreaterThanOrEqual(1900)
    expect(duration).toBeLessThan(3000)
    expect(run.summary).toContain(': no answer: the request timed out after 2s')
  })

  it('a catastrophic expect-text pattern (/(a+)+$/ against a long a…b body) still ends at its timeout', async () => {
    // JavaScript's backtracking engine would spin on this for longer than the universe; RE2 answers in linear time
    const s = await serve({ '/': [{ status: 200, body: `${'a'.repeat(200_000)}b` }] })
    const run = await check({ url: s.url('/'), 'expect-text': '/(a+)+$/', timeout: '2s' })
    expect(run.code).toBe(1)
    expect(errors(run)).toEqual([
      expect.objectContaining({
        title: 'Site check failed',
        message: expect.stringMatching(
          /did not pass within the timeout \(2s, \d+ attempts\)[^]*body matching \/\(a\+\)\+\$\//
        )
      })
    ])
    expect(run.outputs).toMatchObject({ status: '200', ok: 'false' })
    expect(s.requests.length).toBeGreaterThan(1)
  })

  it('refuses a pattern the linear-time engine cannot run, at input time, saying what to write instead', async () => {
    const run = await check({ url: 'https://brilliancrm.com/', 'expect-text': '/version(?=: 1)/' })
    expect(run.code).toBe(1)
    expect(errors(run)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^Input 'expect-text' is "\/version\(\?=: 1\)\/": it uses lookahead or lookbehind .* match the neighbouring text itself/
        )
      })
    ])
    expect(run.outputs).toEqual({})
  })

  it('refuses a plain-http URL to a host that is not this machine, at input time', async () => {
    const run = await check({ url: 'http://brilliancrm.com/health' })
    expect(run.code).toBe(1)
    expect(errors(run)).toEqual([
      {
        level: 'error',
        title: "Input 'url'",
        message:
          `Input 'url' is "http://brilliancrm.com/health": plain http:// is only checked on this machine (127.0.0.1, localhost, [::1]); ` +
          'a public site is checked over HTTPS, as its users reach it: https://brilliancrm.com/health'
      }
    ])
    expect(run.outputs).toEqual({})
    expect(run.stdout).not.toContain('::group::Check')
  })

  it('checks several URLs side by side, each with its own row and result', async () => {
    const s = await serve({ '/health': [{ status: 200, body: 'ok' }] })
    const run = await check({ url: `${s.url('/health')}\n${s.url('/missing')}`, timeout: '2s' })
    expect(run.code).toBe(1)
    expect(errors(run)).toHaveLength(1)
    expect(errors(run)[0].message).toContain(`${s.url('/missing')} failed the site check`)
    expect(errors(run)[0].message).toContain('Got: 404 Not Found.\nMissed: expected status 200-399.')
    expect(run.outputs).toMatchObject({ status: '404', url: s.url('/missing'), ok: 'false' })
    expect(run.summary).toContain('### ❌ Site check\n\n1 of 2 URLs failed the check')
    expect(run.summary).toContain(`| ${s.url('/health')} | ✅ passed | 200 |`)
    expect(run.summary).toContain(`| ${s.url('/missing')} | ❌ failed (see Why) | 404 |`)
  })

  describe('over HTTPS', () => {
    const certificate = selfSignedCertificate()
    afterAll(() => rmSync(dirname(certificate.certFile), { recursive: true, force: true }))

    it('passes when the certificate is trusted (NODE_EXTRA_CA_CERTS, as a runner with a private CA would set it)', async () => {
      const s = await serve({ '/health': [{ status: 200, body: 'ok' }] }, certificate)
      const run = await check(
        { url: s.url('/health'), 'expect-text': 'ok' },
        { NODE_EXTRA_CA_CERTS: certificate.certFile }
      )
      expect(errors(run)).toEqual([])
      expect(run.outputs).toMatchObject({ status: '200', url: s.url('/health'), ok: 'true' })
    })

    it('fails at once on a certificate it cannot trust: waiting does not fix a certificate', async () => {
      const s = await serve({ '/health': [{ status: 200, body: 'ok' }] }, certificate)
      const run = await check({ url: s.url('/health'), timeout: '1m' })
      expect(run.code).toBe(1)
      const [error] = errors(run)
      expect(error.message).toContain(
        'failed the site check: waiting cannot change this answer, so the check stopped at once.'
      )
      expect(error.message).toContain('Got: no answer: the TLS certificate of 127.0.0.1:')
      expect(error.message).toContain('self-signed certificate')
      expect(run.durationMs).toBeLessThan(5000)
      expect(s.requests).toHaveLength(0)
    })

    it('refuses a redirect from HTTPS to plain HTTP at once, without sending a request there', async () => {
      const s = await serve(
        { '/': [{ status: 301, headers: { location: 'http://brilliancrm.com/' } }] },
        certificate
      )
      const run = await check(
        { url: s.url('/'), timeout: '1m' },
        { NODE_EXTRA_CA_CERTS: certificate.certFile }
      )
      expect(run.code).toBe(1)
      const [error] = errors(run)
      expect(error.message).toContain('waiting cannot change this answer')
      expect(error.message).toContain(
        'Missed: 301 to http://brilliancrm.com/, not followed: it leads to plain HTTP; a site behind CloudFront should redirect HTTP to HTTPS, not the other way.'
      )
      expect(run.outputs).toMatchObject({ status: '301', ok: 'false' })
      expect(s.requests).toHaveLength(1)
      expect(run.durationMs).toBeLessThan(5000)
    })
  })
})
