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

/** Masks a value and remembers it for `scrub`. Values under 4 characters are not secrets worth hiding. */
export function addSecret(value: string | undefined): void {
  const text = value?.trim()
  if (!text || text.length < 4 || secrets.has(text)) return
  secrets.add(text)
  core.setSecret(text)
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
