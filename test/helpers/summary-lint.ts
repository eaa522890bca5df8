/**
 * Checks a job summary's Markdown the way a reader would notice its faults, on the tokens of a real GFM parser
 * (marked, as GitHub renders GitHub-flavoured Markdown): no table without headings, no table row without a
 * value, no message twice (a paragraph, list item or table value said again, alone or inside a longer one), and no raw `| |`
 * header row. Returns the faults found (empty when the summary is well formed).
 */
import { marked, type Token, type Tokens } from 'marked'

const MIN_MESSAGE = 24 // shorter texts (a health, a count, "none") may rightly appear more than once

function emptyCell(text: string): boolean {
  const t = text.trim()
  return t === '' || t === '—' || t === '-'
}

function plain(text: string): string {
  return text
    .replace(/<[^>]+>/g, ' ')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.\s]+$/, '')
}

export function summaryFaults(markdown: string): string[] {
  const faults: string[] = []
  const messages: string[] = []
  const said = (text: string) => {
    const key = plain(text)
    if (key.length >= MIN_MESSAGE) messages.push(key)
  }
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'table') {
        const t = token as Tokens.Table
        if (t.header.every(h => emptyCell(h.text))) faults.push('a table without headings')
        for (const row of t.rows) {
          if (row.slice(1).every(c => emptyCell(c.text)) && row.length > 1)
            faults.push(`a table row without a value: ${row[0]?.text ?? ''}`)
          for (const c of row.slice(1)) said(c.text)
        }
      } else if (token.type === 'paragraph') said((token as Tokens.Paragraph).text)
      else if (token.type === 'list') for (const item of (token as Tokens.List).items) said(item.text)
      else if (token.type === 'code') {
        // a fenced block is evidence (events, logs): its lines may repeat what the Why says, by design
      } else if ('tokens' in token && Array.isArray(token.tokens)) visit(token.tokens)
    }
  }
  visit(marked.lexer(markdown))
  // a message said again, alone or inside a longer one ("**Why:** X" and then X on its own)
  const reported = new Set<string>()
  messages.forEach((a, i) => {
    for (const b of messages.slice(i + 1)) {
      const shorter = a.length <= b.length ? a : b
      if ((a.includes(b) || b.includes(a)) && !reported.has(shorter)) {
        reported.add(shorter)
        faults.push(`said twice: ${shorter}`)
      }
    }
  })
  return faults
}

const SIGNS = ['✅', '❌', '⏱️', '📝', '🚀', '⚠️']
const FAILED = ['❌', '⏱️']

/**
 * Checks that a job summary follows the one layout (src/common/summary.ts): the heading with the outcome's sign
 * first, the headline sentence right under it; on a failure (❌, ⏱️) **Why** and **What to do** next, each with
 * its text; then the tables; the collapsed details last. Returns the faults found (empty when it follows it).
 */
export function layoutFaults(markdown: string): string[] {
  const faults: string[] = []
  const blocks = marked.lexer(markdown).filter(token => token.type !== 'space')
  const text = (token: Token | undefined) => (token && 'text' in token ? String(token.text) : '')
  const [heading, headline] = blocks
  const sign = SIGNS.find(s => heading?.type === 'heading' && text(heading).startsWith(`${s} `))
  if (!sign) return ['the first block is not a heading with the outcome’s sign']
  if (headline?.type !== 'paragraph' || /^\*\*/.test(text(headline)))
    faults.push('no headline sentence right under the heading')
  const label = (name: string) =>
    blocks.findIndex(token => token.type === 'paragraph' && text(token) === `**${name}**`)
  const why = label('Why')
  const whatToDo = label('What to do')
  const firstTable = blocks.findIndex(token => token.type === 'table')
  const firstDetails = blocks.findIndex(token => token.type === 'html' && /^<details>/.test(token.raw))
  if (FAILED.includes(sign)) {
    if (why !== 2) faults.push('a failure without **Why** right under the headline')
    if (whatToDo !== why + 2) faults.push('a failure without **What to do** right after the Why')
  } else if (why >= 0) faults.push('a **Why** in a summary that did not fail')
  for (const [index, name] of [
    [why, 'Why'],
    [whatToDo, 'What to do']
  ] as const) {
    const body = blocks[index + 1]
    if (
      index >= 0 &&
      !(body && (body.type === 'paragraph' || body.type === 'list') && !/^\*\*/.test(text(body)))
    )
      faults.push(`**${name}** without its text`)
  }
  if (firstDetails >= 0) {
    const after = blocks
      .slice(firstDetails)
      .filter(t => t.type !== 'html' && t.type !== 'code' && t.type !== 'table' && t.type !== 'list')
    if (after.length > 0) faults.push('something other than collapsed details after the first <details>')
    if (firstTable > firstDetails) faults.push('a table after the details')
  }
  return faults
}
