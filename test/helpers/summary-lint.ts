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
