import * as core from '@actions/core'

/**
 * Secrets of the job: masked with the runner (`core.setSecret`) and scrubbed from everything we write ourselves
 * (annotations, log lines of errors, outputs, the job summary), so that a runner that does not mask them (act,
 * a local run) still shows nothing. AWS echoes the request in some error bodies (AccessDenied,
 * SignatureDoesNotMatch): the session token can come back inside an error message.
 */

/** The environment variables of the SDK's credential chain that hold secrets. */
export const SECRET_ENV = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const

const secrets = new Set<string>()

/** The shortest value worth masking: a shorter one would hide common words and symbols all over the log. */
export const MIN_SECRET_LENGTH = 4

/**
 * The one door for masking: registers a value with the runner (`core.setSecret`) and remembers it for `scrub`.
 * Only whole values are registered, and of a multi-line value each line on its own (as the runner masks them);
 * a value or line shorter than MIN_SECRET_LENGTH, or with no letter or digit in it (`=`, `==`, `----`: a fragment
 * of a value, never a secret), is not: masking it would turn every such character in the job's log into `***`.
 */
export function addSecret(value: string | undefined): void {
  for (const line of (value ?? '').split(/\r?\n/)) {
    const text = line.trim()
    if (!worthMasking(text) || secrets.has(text)) continue
    secrets.add(text)
    core.setSecret(text)
  }
}

/** Whether a (one-line) value is registered by `addSecret`. */
export function worthMasking(text: string): boolean {
  return text.length >= MIN_SECRET_LENGTH && /[\p{L}\p{N}]/u.test(text)
}

/** Masks the AWS secrets of the environment (the SDK's credential chain reads them from there). */
export function maskEnvironmentSecrets(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of SECRET_ENV) addSecret(env[name])
}

/** The forms a secret may take when echoed: as is, URL-encoded (query strings), and JSON/XML-escaped. */
function forms(secret: string): string[] {
  const all = new Set([secret, encodeURIComponent(secret), secret.replace(/\//g, '\\/')])
  return [...all]
}

/** The text with every known secret (in any echoed form) replaced by `***`. Pure given the secrets. */
export function scrub(text: string): string {
  if (secrets.size === 0 || text === '') return text
  let out = text
  const all = [...secrets].flatMap(forms).sort((a, b) => b.length - a.length)
  for (const secret of all) if (out.includes(secret)) out = out.split(secret).join('***')
  return out
}

/** Forgets every secret (tests run several actions in one process). */
export function clearSecrets(): void {
  secrets.clear()
}

// ---- secrets by their shape ------------------------------------------------------------------------------

export const MASK = '***'

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

/**
 * Replaces everything in `text` that looks like a secret with `***`, by its shape (keys, tokens, passwords in
 * `name=value` forms): for text from elsewhere (a page's body, an instance's log) that may hold secrets never
 * registered with `addSecret`. Pure.
 */
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

/** Every known secret (`scrub`) and everything that looks like one (`maskSecrets`) masked: text from elsewhere. */
export function maskAll(text: string): string {
  return maskSecrets(scrub(text))
}
