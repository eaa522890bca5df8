import { inputError } from '../../common/errors.js'

/** How many lines of each log the summary shows by default; 0 turns the logs off. */
export const DEFAULT_LOG_LINES = 100
/** The most: a job summary holds at most 1 MiB, and a few instances with several files each share it. */
export const MAX_LOG_LINES = 1000

/** `log-lines`: a whole number from 0 (off) to MAX_LOG_LINES; empty is the default. Pure. */
export function parseLogLines(value: string): number {
  if (value === '') return DEFAULT_LOG_LINES
  const expected = `expected a whole number of lines from 0 (no logs) to ${MAX_LOG_LINES}, such as ${DEFAULT_LOG_LINES}.`
  if (!/^\d+$/.test(value)) throw inputError('log-lines', value, expected)
  const lines = Number(value)
  if (lines > MAX_LOG_LINES) throw inputError('log-lines', value, expected)
  return lines
}
