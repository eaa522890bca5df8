/**
 * The instances' tail logs as Beanstalk compiles them (RequestEnvironmentInfo `tail`): one text per instance, the
 * last lines of each log file under a header of its path between two rules of dashes. Which files explain a
 * failed deploy, in which order, and how many lines of each the summary shows. Pure.
 */

export interface LogFile {
  /** The file's path on the instance, such as /var/log/eb-engine.log. */
  path: string
  lines: string[]
}

export interface InstanceLogs {
  instanceId: string
  /** Every file of the tail, in Beanstalk's order (the logs-file holds them all). */
  files: LogFile[]
}

const RULE = /^-{8,}\s*$/

/**
 * The files of one instance's tail text. A header is a path between two rules of dashes; text before the first
 * header (or a tail without any) is kept as one file of its own, named `(tail)`.
 */
export function parseTail(text: string): LogFile[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const files: LogFile[] = []
  let current: LogFile | undefined
  for (let i = 0; i < lines.length; i++) {
    const isHeader =
      RULE.test(lines[i]) && i + 2 < lines.length && /^\/\S+/.test(lines[i + 1]) && RULE.test(lines[i + 2])
    if (isHeader) {
      current = { path: lines[i + 1].trim(), lines: [] }
      files.push(current)
      i += 2
      continue
    }
    if (!current) {
      if (lines[i].trim() === '') continue
      current = { path: '(tail)', lines: [] }
      files.push(current)
    }
    current.lines.push(lines[i])
  }
  for (const file of files)
    while (file.lines.length > 0 && file.lines[file.lines.length - 1].trim() === '') file.lines.pop()
  return files
}

/** The platform's own deploy log: what Beanstalk did on the instance, and the command that failed. */
export const isEngineLog = (path: string): boolean => /(^|\/)eb-engine\.log$/.test(path)

/** The application's own output: the containers' logs (Docker platform) and the web process's stdout. */
export const isContainerLog = (path: string): boolean =>
  /\/eb-docker\/containers\/|\/containers\/.*\.log$|stdouterr\.log$|(^|\/)web\.stdout\.log$/.test(path)

/** The files that explain a failed deploy, eb-engine.log first, then the containers' logs (each in tail order). */
export function explainingFiles(files: readonly LogFile[]): LogFile[] {
  return [
    ...files.filter(f => isEngineLog(f.path)),
    ...files.filter(f => !isEngineLog(f.path) && isContainerLog(f.path))
  ]
}

/** The last `count` lines of a file (all when it has fewer). */
export function lastLines(lines: readonly string[], count: number): string[] {
  return count <= 0 ? [] : lines.slice(-count)
}

/** Every file of every instance, as one text (the logs-file): instance, path, then the lines. */
export function fullText(instances: readonly InstanceLogs[]): string {
  const out: string[] = []
  for (const instance of instances) {
    out.push(`==== ${instance.instanceId} ====`)
    for (const file of instance.files) out.push(`---- ${file.path} ----`, ...file.lines, '')
  }
  return out.join('\n') + '\n'
}

/** What the summary and the log show of each instance: the explaining files, their last `count` lines. */
export function excerpt(instances: readonly InstanceLogs[], count: number): InstanceLogs[] {
  return instances.map(instance => ({
    instanceId: instance.instanceId,
    files: explainingFiles(instance.files).map(file => ({
      path: file.path,
      lines: lastLines(file.lines, count)
    }))
  }))
}
