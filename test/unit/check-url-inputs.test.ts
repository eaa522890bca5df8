import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import { parseInputs, parseUrl, parseUrls, type RawInputs } from '../../src/check-url/inputs.js'

const raw = (over: Partial<RawInputs> = {}): RawInputs => ({
  url: 'https://brilliancrm.com/health',
  'expect-status': '',
  'expect-text': '',
  'expect-header': '',
  timeout: '',
  'follow-redirects': '',
  'allow-http': '',
  ...over
})

describe('url', () => {
  it('takes https URLs, and plain http on loopback hosts only', () => {
    expect(parseUrl('https://brilliancrm.com/health')).toBe('https://brilliancrm.com/health')
    expect(parseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/')
    expect(parseUrl('http://localhost:3000/health')).toBe('http://localhost:3000/health')
    expect(parseUrl('http://[::1]:3000/')).toBe('http://[::1]:3000/')
  })

  it('refuses plain http to any other host, at input time, with the https URL to use instead', () => {
    expect(() => parseUrl('http://brilliancrm.com:80/health')).toThrow(
      `Input 'url' is "http://brilliancrm.com:80/health": plain http:// is only checked on this machine (127.0.0.1, localhost, [::1]); a public site is checked over HTTPS, as its users reach it: https://brilliancrm.com/health`
    )
    expect(() => parseUrl('http://10.0.0.5/')).toThrow(UserError)
  })

  it('refuses what is not an absolute http(s) URL, suggesting https:// for a bare domain', () => {
    expect(() => parseUrl('brilliancrm.com/health')).toThrow(
      `Input 'url' is "brilliancrm.com/health": expected an absolute URL such as https://brilliancrm.com/health. Did you mean https://brilliancrm.com/health?`
    )
    expect(() => parseUrl('ftp://brilliancrm.com/')).toThrow(`expected an https:// URL such as`)
  })

  it('refuses credentials in the URL without repeating them', () => {
    let message = ''
    try {
      parseUrl('https://admin:hunter2@brilliancrm.com/')
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toBe(
      `Input 'url' is "https://…@brilliancrm.com": it carries credentials (user:password@): no secrets in inputs. Check a page that answers without them, such as a health endpoint.`
    )
    expect(message).not.toContain('hunter2')
  })

  it('refuses our own cache-busting parameter', () => {
    expect(() => parseUrl('https://brilliancrm.com/?imbit-nocache=1')).toThrow(
      'the query parameter imbit-nocache'
    )
  })

  it('reads one URL a line, skipping blanks and # comments, dropping duplicates and fragments', () => {
    expect(
      parseUrls(
        '\nhttps://brilliancrm.com/\n  # the API\nhttps://brilliancrm.com/api/health#x\nhttps://brilliancrm.com/\n'
      )
    ).toEqual(['https://brilliancrm.com/', 'https://brilliancrm.com/api/health'])
  })

  it('is required, and at most 20', () => {
    expect(() => parseUrls('  \n ')).toThrow(
      `Input 'url' is empty: it is required: the page to check, such as https://brilliancrm.com/health.`
    )
    const many = Array.from({ length: 21 }, (_, i) => `https://brilliancrm.com/${i}`).join('\n')
    expect(() => parseUrls(many)).toThrow(`Input 'url' is "21 URLs": expected at most 20`)
  })
})

describe('parseInputs', () => {
  it('applies the defaults of action.yml', () => {
    const inputs = parseInputs(raw())
    expect(inputs).toEqual({
      urls: ['https://brilliancrm.com/health'],
      expectations: { status: [{ from: 200, to: 399 }], text: undefined, headers: [] },
      timeoutMs: 180_000,
      followRedirects: true
    })
  })

  it('reads every input', () => {
    const inputs = parseInputs(
      raw({
        'expect-status': '200',
        'expect-text': '/v1\\.4/',
        'expect-header': 'X-Version: 1.4',
        timeout: '90s',
        'follow-redirects': 'false'
      })
    )
    expect(inputs.expectations.status).toEqual([{ from: 200, to: 200 }])
    expect(inputs.expectations.text?.kind).toBe('regex')
    expect(inputs.expectations.headers).toHaveLength(1)
    expect(inputs.timeoutMs).toBe(90_000)
    expect(inputs.followRedirects).toBe(false)
  })

  it('names the input at fault', () => {
    expect(() => parseInputs(raw({ timeout: 'soon' }))).toThrow(`Input 'timeout' is "soon"`)
    expect(() => parseInputs(raw({ timeout: '500ms' }))).toThrow(
      `Input 'timeout' is "500ms": expected at least 1s.`
    )
    expect(() => parseInputs(raw({ 'follow-redirects': 'yes' }))).toThrow(
      `Input 'follow-redirects' is "yes": expected true or false.`
    )
    expect(() => parseInputs(raw({ 'expect-status': 'ok' }))).toThrow(`Input 'expect-status' is "ok"`)
  })
})

describe('allow-http', () => {
  const ENV_URL = 'http://brilliancrm-green.eu-central-1.elasticbeanstalk.com/health'

  it("permits plain http:// to an Elastic Beanstalk environment's own host only", () => {
    expect(parseInputs(raw({ url: ENV_URL, 'allow-http': 'true' })).urls).toEqual([ENV_URL])
    expect(parseUrl('http://brilliancrm.elasticbeanstalk.com/', true)).toBe(
      'http://brilliancrm.elasticbeanstalk.com/'
    )
    expect(parseUrl('HTTP://BrillianCRM.eu-central-1.ElasticBeanstalk.com/', true)).toBe(
      'http://brilliancrm.eu-central-1.elasticbeanstalk.com/'
    )
    // https stays allowed, and loopback hosts as before
    expect(parseUrl('https://brilliancrm.com/', true)).toBe('https://brilliancrm.com/')
    expect(parseUrl('http://127.0.0.1:8080/', true)).toBe('http://127.0.0.1:8080/')
  })

  it('keeps the https rule for every other host, with allow-http or without', () => {
    for (const url of [
      'http://brilliancrm.com/',
      'http://elasticbeanstalk.com.evil.example/',
      'http://brilliancrm.elasticbeanstalk.com.evil.example/',
      'http://evil-elasticbeanstalk.com/',
      'http://d111111abcdef8.cloudfront.net/'
    ]) {
      expect(() => parseInputs(raw({ url, 'allow-http': 'true' }))).toThrow(
        'and, with allow-http, on an Elastic Beanstalk environment host (*.elasticbeanstalk.com)'
      )
    }
  })

  it('is off by default: an environment URL over http names the input that permits it', () => {
    expect(() => parseInputs(raw({ url: ENV_URL }))).toThrow('needs allow-http: true')
    expect(() => parseInputs(raw({ 'allow-http': 'yes' }))).toThrow(
      `Input 'allow-http' is "yes": expected true or false.`
    )
  })
})
