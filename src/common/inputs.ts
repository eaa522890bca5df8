import * as core from '@actions/core'
import { inputError } from './errors.js'
import { formatDuration } from './format.js'

/**
 * Typed input reading. Parsing is pure (`parse*`); `readRaw` is the one read through `@actions/core`, so the
 * rules are unit-tested without an environment and each action reads a typed object once.
 */

/** The raw value of an input, trimmed; `''` when unset. */
export function readRaw(name: string): string {
  return core.getInput(name, { trimWhitespace: true })
}

/** Every input an action declares, by name, as the raw strings its parseInputs takes. */
export type RawInputsOf<Names extends readonly string[]> = Record<Names[number], string>

/** Reads every input an action declares (`names`), raw, for its pure parseInputs. */
export function readRawInputs<const Names extends readonly string[]>(names: Names): RawInputsOf<Names> {
  return Object.fromEntries(names.map(name => [name, readRaw(name)])) as RawInputsOf<Names>
}

export function parseBoolean(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  const lower = value.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  throw inputError(name, value, 'expected true or false.')
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * A duration in milliseconds: `90s`, `15m`, `1h`, `1h30m`, `500ms` or plain seconds (`300`).
 * Zero is allowed only where `allowZero` says so.
 */
export function parseDuration(
  name: string,
  value: string,
  fallback: string,
  options: { min?: number; max?: number; allowZero?: boolean } = {}
): number {
  const text = (value === '' ? fallback : value).trim().toLowerCase()
  const expected = 'expected a duration such as 90s, 15m, 1h, 1h30m or a number of seconds (e.g. 600).'
  let ms: number
  if (/^\d+(\.\d+)?$/.test(text)) {
    ms = Math.round(Number(text) * 1000)
  } else {
    const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy
    let total = 0
    let consumed = 0
    let match: RegExpExecArray | null
    while ((match = re.exec(text)) !== null) {
      total += Number(match[1]) * UNIT_MS[match[2]]
      consumed = re.lastIndex
    }
    if (consumed === 0 || consumed !== text.length) throw inputError(name, value, expected)
    ms = Math.round(total)
  }
  if (!Number.isFinite(ms) || ms < 0) throw inputError(name, value, expected)
  if (ms === 0 && !options.allowZero) throw inputError(name, value, 'expected a duration above zero.')
  if (options.min !== undefined && ms < options.min) {
    throw inputError(name, value, `expected at least ${formatDuration(options.min)}.`)
  }
  if (options.max !== undefined && ms > options.max) {
    throw inputError(name, value, `expected at most ${formatDuration(options.max)}.`)
  }
  return ms
}

/** The longest `timeout`: a GitHub-hosted job runs at most 6 hours. */
export const MAX_TIMEOUT_MS = 6 * 3_600_000

/** The `timeout` input of every action: a duration from 1 s to 6 h, `fallback` when empty. */
export function parseTimeout(value: string, fallback: string): number {
  return parseDuration('timeout', value, fallback, { min: 1000, max: MAX_TIMEOUT_MS })
}

/** A list from newline- and/or comma-separated text: trimmed, empty items dropped, order kept. */
export function parseList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map(item => item.trim())
    .filter(item => item !== '')
}

/** The region: the input, else AWS_REGION, else AWS_DEFAULT_REGION; a user error when none is set. */
export function resolveRegion(input: string, env: NodeJS.ProcessEnv = process.env): string {
  const region = input || env.AWS_REGION || env.AWS_DEFAULT_REGION || ''
  if (region === '') {
    throw inputError(
      'region',
      '',
      'no region is set. Set the `region` input (IMBIT uses eu-central-1), or AWS_REGION, e.g. through aws-actions/configure-aws-credentials.'
    )
  }
  if (!/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/.test(region)) {
    throw inputError('region', region, 'expected an AWS region code such as eu-central-1.')
  }
  return region
}
