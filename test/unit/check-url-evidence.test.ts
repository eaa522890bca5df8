import { describe, expect, it } from '@jest/globals'
import {
  bodyExcerpt,
  headersThatMattered,
  maskHeaderValue,
  maskSecrets
} from '../../src/check-url/evidence.js'

describe('maskSecrets', () => {
  it.each([
    ['AWS access key id', 'key AKIAIOSFODNN7EXAMPLE here', 'key *** here'],
    ['AWS secret access key', 'secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end', 'secret *** end'],
    ['GitHub token', 'token ghp_0123456789abcdefghijABCDEFGHIJ0123 x', 'token *** x'],
    ['fine-grained GitHub token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop', '***'],
    ['JWT', 'jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N', 'jwt=***'],
    ['Bearer token', 'Authorization: Bearer abc.def-123', 'Authorization: ***'],
    ['Bearer token in prose', 'sent Bearer abcdefgh12345678', 'sent Bearer ***'],
    ['Slack token', 'xoxb-123456789012-abcdefghij', '***'],
    ['Stripe key', 'sk_live_0123456789abcdef', '***'],
    [
      'credentials in a URL',
      'postgres://app:s3cr3t@db.internal:5432/app',
      'postgres://app:***@db.internal:5432/app'
    ],
    ['JSON password', '{"user":"a","password":"hunter2","n":1}', '{"user":"a","password":***,"n":1}'],
    ['env file line', 'DB_PASSWORD=hunter2\nAPI_KEY = abc123', 'DB_PASSWORD=***\nAPI_KEY = ***'],
    ['YAML', "client_secret: 'xyz'", 'client_secret: ***'],
    ['query string', '/cb?code=1&access_token=abcd&x=2', '/cb?code=1&access_token=***&x=2'],
    ['HTML password field', '<input name="password" value="hunter2">', '<input name="password" value=***>'],
    [
      'PEM private key',
      'a -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- b',
      'a *** b'
    ]
  ])('masks a %s', (_, text, masked) => {
    expect(maskSecrets(text)).toBe(masked)
  })

  it.each([
    ['a git commit SHA (version pages show one)', 'build 0123456789abcdef0123456789abcdef01234567'],
    ['prose after Basic or Token', 'Basic authentication failed. Token expired yesterday'],
    ['an ordinary page', '<h1>Welcome to BrillianCRM</h1><p>Version 1.4.2, deployed by author Jane</p>'],
    ['a UUID', 'request 123e4567-e89b-12d3-a456-426614174000']
  ])('leaves %s alone', (_, text) => {
    expect(maskSecrets(text)).toBe(text)
  })
})

describe('bodyExcerpt', () => {
  it('folds whitespace and keeps the first 500 characters', () => {
    const body = `<html>\n  <body>\n\n\t${'a'.repeat(600)}</body></html>`
    const excerpt = bodyExcerpt(body)
    expect(excerpt.startsWith('<html> <body> aaa')).toBe(true)
    expect(excerpt).toHaveLength(501)
    expect(excerpt.endsWith('…')).toBe(true)
  })

  it('masks a secret that the 500-character cut would have split in two', () => {
    const body = `${'x'.repeat(480)} AKIAIOSFODNN7EXAMPLE tail`
    const excerpt = bodyExcerpt(body)
    expect(excerpt).not.toContain('AKIA')
    expect(excerpt).toContain('***')
  })

  it('masks before showing, and marks a body that was longer than what was read', () => {
    expect(bodyExcerpt('error: password=hunter2', { truncated: true })).toBe('error: password=***…')
  })

  it('says so for an empty or binary body', () => {
    expect(bodyExcerpt('')).toBe('(empty)')
    expect(bodyExcerpt('PNG\u0000\u0001\u0002')).toBe('(binary content, 6 characters read)')
    expect(bodyExcerpt('\ufffd'.repeat(40) + 'abc')).toBe('(binary content, 43 characters read)')
  })

  it('drops control characters', () => {
    expect(bodyExcerpt('ok\u001b[31m red')).toBe('ok[31m red')
  })
})

describe('headersThatMattered', () => {
  it('shows the expected headers first, then the telling ones present, values masked', () => {
    const headers = {
      'x-version': '1.4.2',
      'content-type': 'text/html',
      'x-cache': 'Miss from cloudfront',
      'set-cookie': 'session=abc',
      'x-debug': 'token=abcdef',
      etag: '"x"'
    }
    expect(headersThatMattered(headers, ['X-Version', 'Set-Cookie', 'X-Debug', 'X-Missing'])).toEqual([
      'x-version: 1.4.2',
      'set-cookie: ***',
      'x-debug: token=***',
      'content-type: text/html',
      'x-cache: Miss from cloudfront'
    ])
  })

  it('masks cookies and authorization whatever they look like', () => {
    expect(maskHeaderValue('Cookie', 'a=b')).toBe('***')
    expect(maskHeaderValue('authorization', 'x')).toBe('***')
    expect(maskHeaderValue('server', 'nginx')).toBe('nginx')
  })
})
