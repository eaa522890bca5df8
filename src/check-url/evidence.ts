/**
 * What a failure shows of an answer: a body excerpt and the headers that mattered, with anything that looks
 * like a secret masked first (the patterns are common/secrets.ts's `maskSecrets`). The page may be an error page that dumps its environment, or a debug page with
 * a token in it; the excerpt lands in the job log, the annotation and the job summary. Pure.
 */

import { MASK, maskSecrets } from '../common/secrets.js'

export { MASK, maskSecrets }

/** How many characters of the body a failure shows. */
export const EXCERPT_CHARS = 500

/**
 * The first `chars` characters of a body, for a failure message: secrets masked over a wider window first
 * (so a secret cut in half at the edge is still masked), whitespace runs folded to one space, control
 * characters dropped. Binary bodies are described instead of shown.
 */
export function bodyExcerpt(body: string, options: { chars?: number; truncated?: boolean } = {}): string {
  const chars = options.chars ?? EXCERPT_CHARS
  if (body === '') return '(empty)'
  const window = body.slice(0, chars * 4)
  if (looksBinary(window)) return `(binary content, ${body.length} characters read)`
  const text = maskSecrets(window)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  const cut = text.length > chars || body.length > window.length || options.truncated === true
  return cut ? `${text.slice(0, chars)}…` : text
}

function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true
  const replacement = text.split('\ufffd').length - 1
  return replacement > 8 && replacement > text.length / 20
}

/** Headers a reader of a failure wants beside the ones `expect-header` named: the kind of body, caches, redirects. */
const TELLING_HEADERS = [
  'content-type',
  'location',
  'server',
  'x-cache',
  'age',
  'cache-control',
  'retry-after'
]

/** The headers that mattered for this answer, as `Name: value` lines, values masked. */
export function headersThatMattered(headers: Record<string, string>, expected: string[]): string[] {
  const names = [...new Set([...expected.map(name => name.toLowerCase()), ...TELLING_HEADERS])]
  return names
    .filter(name => headers[name] !== undefined)
    .map(name => `${name}: ${maskHeaderValue(name, headers[name])}`)
}

/** Cookies and authorization headers are secrets whatever they look like. */
export function maskHeaderValue(name: string, value: string): string {
  if (/^(set-cookie|cookie|authorization|proxy-authorization|x-amz-security-token)$/i.test(name)) return MASK
  return maskSecrets(value)
}
