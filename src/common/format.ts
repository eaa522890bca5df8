/** How durations and sizes read in logs, messages and job summaries. Pure. */

/** `1h 2m 3s`, `45s`, `1.5s`, `800ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 10_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')}s`
  let seconds = Math.round(ms / 1000)
  const h = Math.floor(seconds / 3600)
  seconds -= h * 3600
  const m = Math.floor(seconds / 60)
  seconds -= m * 60
  return [h ? `${h}h` : '', m ? `${m}m` : '', seconds ? `${seconds}s` : ''].filter(Boolean).join(' ') || '0s'
}

/** `1 URL`, `3 URLs`: a count with its noun, plural past one (regular English plurals only). */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** `1.5 MB`, `812 KB`, `12 B` (1 MB = 1,048,576 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`
}
