/**
 * What a failure shows of an answer: a body excerpt and the headers that mattered, with anything that looks
 * like a secret masked first. The page may be an error page that dumps its environment, or a debug page with
 * a token in it; the excerpt lands in the job log, the annotation and the job summary. Pure.
 */

export const MASK = '***'

/** How many characters of the body a failure shows. */
export const EXCERPT_CHARS = 500

/** Names whose value is a secret, in `name=value`, `name: value`, `"name": "value"` and `<input name=…>` forms. */
const SECRET_NAME =
  '[\\w.-]*(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|authorization|auth[_-]?(?:token|key)|credentials?|session(?:[_-]?id)?|cookie|signature)[\\w.-]*'

interface Rule {
  pattern: RegExp
  /** Replacement: the whole match, or keep group 1 (the name and separator) and mask the rest. */
  keepPrefix?: boolean
  /** Mask only matches that pass this test. */
  when?: (match: string) => boolean
}

const RULES: Rule[] = [
  // PEM private keys, whole blocks (or what is left of one when the body is cut).
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g },
  // Credentials in URLs: scheme://user:password@host.
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'<>]+:)[^\s@/"'<>]+(?=@)/gi, keepPrefix: true },
  // Authorization schemes.
  // (a word of prose after "Basic" or "Token" has no digit or symbol in it, and is left alone).
  {
    pattern: /\b((?:Bearer|Basic|Token|Digest)\s+)[A-Za-z0-9._~+/=-]{8,}/g,
    keepPrefix: true,
    when: match => /[0-9._~+/=-]/.test(match.replace(/^\S+\s+/, ''))
  },
  // JSON Web Tokens.
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  // AWS access key ids.
  { pattern: /\b(?:AKIA|ASIA|AROA|AIDA|ANPA|AGPA)[A-Z0-9]{16}\b/g },
  // GitHub tokens (classic and fine-grained), npm, Slack, Stripe, Google API keys.
  { pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g },
  { pattern: /\bnpm_[A-Za-z0-9]{30,}/g },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/g },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  // "name": "value" (JSON) and name: 'value' / name = "value" (YAML, env files, JS, HTML attributes).
  {
    pattern: new RegExp(
      `((["']?)${SECRET_NAME}\\2\\s*[:=]\\s*)(?:(?:Bearer|Basic|Token|Digest)\\s+)?("[^"]*"|'[^']*'|[^\\s,;&"'<>}\\]]+)`,
      'gi'
    ),
    keepPrefix: true
  },
  // <input name="password" value="…">
  {
    pattern: new RegExp(`(name=["']?${SECRET_NAME}["']?[^>]*?\\bvalue=)("[^"]*"|'[^']*'|[^\\s>]+)`, 'gi'),
    keepPrefix: true
  },
  // AWS secret access keys: 40 base64 characters with upper case, lower case and digits (so a git commit
  // SHA, 40 lower-case hex digits, is left alone: a version page often shows one).
  {
    pattern: /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    when: match => /[A-Z]/.test(match) && /[a-z]/.test(match) && /[0-9]/.test(match)
  }
]

/** Replaces everything in `text` that looks like a secret with `***`. */
export function maskSecrets(text: string): string {
  let out = text
  for (const rule of RULES) {
    out = out.replace(rule.pattern, (match: string, prefix: unknown) => {
      if (rule.when && !rule.when(match)) return match
      return rule.keepPrefix && typeof prefix === 'string' ? `${prefix}${MASK}` : MASK
    })
  }
  return out
}

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
