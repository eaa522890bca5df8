import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { truncateDescription } from './inputs.js'

/** The first line of a commit message, from the push event payload, else `git log` in the workspace. */
export async function commitSubject(env: NodeJS.ProcessEnv, workspace: string): Promise<string | undefined> {
  if (env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as {
        head_commit?: { message?: string }
      }
      const message = event.head_commit?.message?.split('\n')[0]?.trim()
      if (message) return message
    } catch {
      // not a push event, or no payload: try git
    }
  }
  try {
    const { stdout } = await promisify(execFile)('git', ['log', '-1', '--format=%s'], {
      cwd: workspace,
      timeout: 5_000
    })
    return stdout.trim() || undefined
  } catch {
    return undefined
  }
}

/** The default version description: the commit subject (≤ 200 characters), else where it came from. */
export async function defaultDescription(env: NodeJS.ProcessEnv, workspace: string): Promise<string> {
  const subject = await commitSubject(env, workspace)
  const fallback = `Deployed from ${env.GITHUB_REPOSITORY ?? 'a workflow'}${env.GITHUB_SHA ? `@${env.GITHUB_SHA.slice(0, 7)}` : ''}`
  return truncateDescription(subject ?? fallback).text
}
