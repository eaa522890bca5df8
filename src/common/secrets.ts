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
