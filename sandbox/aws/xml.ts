/** Tiny XML writer for AWS responses (the shapes are small and fixed; no templates needed). */
export function esc(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

export type XmlValue = string | number | boolean | Date | undefined | null | XmlNode | XmlValue[]
export interface XmlNode {
  [tag: string]: XmlValue
}

/** Serialises a node: keys become elements in order; arrays repeat the element; undefined is skipped. */
export function toXml(node: XmlNode): string {
  let out = ''
  for (const [tag, value] of Object.entries(node)) out += element(tag, value)
  return out
}

function element(tag: string, value: XmlValue): string {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.map(v => element(tag, v)).join('')
  if (value instanceof Date) return `<${tag}>${value.toISOString()}</${tag}>`
  if (typeof value === 'object') return `<${tag}>${toXml(value)}</${tag}>`
  return `<${tag}>${esc(String(value))}</${tag}>`
}

/** A list in the Query protocol's shape: <Tag><member>…</member></Tag>. */
export function members(items: XmlValue[]): XmlNode {
  return { member: items }
}
