import { inputError } from './errors.js'

/**
 * The Beanstalk names and labels two actions take as inputs (deploy-beanstalk, swap-environments): one rule for
 * each, so both refuse the same values with the same words. Pure.
 */

/** The least health an environment must show: Beanstalk's two that serve traffic well. */
export type RequiredHealth = 'Green' | 'Yellow'

export const hasControlCharacter = (text: string) =>
  Array.from(text).some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)

export function parseApplicationName(value: string): string {
  if (value === '') {
    throw inputError(
      'application-name',
      value,
      'it is required: the Beanstalk application, such as BrillianCRM.'
    )
  }
  if (value.length > 100) {
    throw inputError('application-name', value, `expected at most 100 characters (it has ${value.length}).`)
  }
  if (hasControlCharacter(value) || value.includes('/')) {
    throw inputError('application-name', value, 'expected no slashes or control characters.')
  }
  return value
}

/**
 * A version label as Beanstalk allows it and as it can be part of an S3 key (1 to 100 characters, no slashes,
 * backslashes or control characters), or undefined when empty. `expected` ends the refusal for its input.
 */
export function parseLabel(input: string, value: string, expected: string): string | undefined {
  if (value === '') return undefined
  if (value.length > 100) {
    throw inputError(input, value, `expected at most 100 characters (it has ${value.length}).`)
  }
  if (hasControlCharacter(value) || /[/\\]/.test(value)) throw inputError(input, value, expected)
  return value
}

/** `required-health`: Green or Yellow in any case (`fallback` when empty); `why` follows the refusal. */
export function parseHealth(value: string, fallback: string, why = ''): RequiredHealth {
  const text = value === '' ? fallback : value
  const match = (['Green', 'Yellow'] as const).find(h => h.toLowerCase() === text.toLowerCase())
  if (!match) throw inputError('required-health', value, `expected Green or Yellow${why}.`)
  return match
}
