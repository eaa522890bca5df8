/**
 * User regular expressions (`/regex/flags` in `expect-text` and `expect-header`) run on RE2JS, a pure-JS port of
 * RE2: matching takes time linear in the text, whatever the pattern, so a pattern that would backtrack
 * catastrophically in JavaScript's own engine (`/(a+)+$/` against `aaaa…b`) cannot block the process and the
 * step's timeout always fires. What RE2 leaves out to keep that promise (backreferences, lookahead and
 * lookbehind) is refused when the inputs are read, saying why and what to write instead.
 */
import { RE2JS } from 're2js'
import { inputError } from '../common/errors.js'

/** A compiled user pattern: `test` looks for a match anywhere in the text, in linear time. */
export interface UserPattern {
  /** As the user wrote it, without the flags that were dropped: `/version: \d+/i`. */
  display: string
  /** The flags kept (i, m, s, u), as written. */
  flags: string
  test: (text: string) => boolean
}

/** JavaScript's flags this engine honours; d, g and y are dropped (they change nothing about a yes/no match). */
const ENGINE_FLAGS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  // RE2 matches Unicode code points always
  u: 0,
  v: 0
}

/**
 * Compiles `source` with JavaScript-style `flags` (already checked to be among d, g, i, m, s, u, v, y); throws
 * a UserError on `input` for a pattern RE2 does not support or cannot parse.
 */
export function compilePattern(input: string, value: string, source: string, flags: string): UserPattern {
  const kept = [...new Set(flags)].filter(flag => flag in ENGINE_FLAGS).join('')
  const unsupported = unsupportedSyntax(source)
  if (unsupported) throw inputError(input, value, unsupported)
  let compiled: RE2JS
  try {
    compiled = RE2JS.compile(
      source,
      [...kept].reduce((all, flag) => all | ENGINE_FLAGS[flag], 0)
    )
  } catch (error) {
    throw inputError(
      input,
      value,
      `it is not a valid regular expression (${(error as Error).message}). To look for the text as it is, leave out the surrounding slashes.`
    )
  }
  return { display: `/${source}/${kept}`, flags: kept, test: text => compiled.test(text) }
}

/** Why a JavaScript pattern cannot run on RE2 and what to write instead, or undefined when it can. */
function unsupportedSyntax(source: string): string | undefined {
  const why =
    'Patterns run on a linear-time engine (RE2), so that no pattern can hold up the check past its timeout'
  if (/\\[1-9]|\\k</.test(source.replace(/\\\\/g, ''))) {
    return `it uses a backreference (\\1, \\k<name>), which this action does not support. ${why}: write the repeated text out (/(ab)ab/ rather than /(ab)\\1/), or look for a plain substring (no slashes).`
  }
  if (/\(\?<?[=!]/.test(source.replace(/\\\\|\\\(/g, ''))) {
    return `it uses lookahead or lookbehind ((?=…), (?!…), (?<=…), (?<!…)), which this action does not support. ${why}: match the neighbouring text itself (/price: 10 EUR/ rather than /price: 10(?= EUR)/), or look for a plain substring (no slashes).`
  }
  return undefined
}
