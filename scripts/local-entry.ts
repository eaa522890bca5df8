/**
 * The entry @github/local-action runs (`local-action run actions/<name> ../../scripts/local-entry.ts .env`):
 * the action named by the folder local-action was given (TARGET_ACTION_PATH, which it sets), run by the very
 * entry its bundle is built from (src/<name>/index.ts: runAction, so a failure is one annotation and exit code
 * 1, as on the runner, instead of an uncaught exception; its version line names the action). local-action needs
 * an exported run(); the entry runs the action when it is imported, and the import settles when it is over.
 */
import { basename } from 'node:path'

export async function run(): Promise<void> {
  const target = process.env.TARGET_ACTION_PATH
  if (!target) throw new Error('TARGET_ACTION_PATH is not set: run this entry through @github/local-action')
  const name = basename(target)
  if (!/^[a-z][a-z-]*$/.test(name)) throw new Error(`not an action folder: ${target}`)
  await import(`../src/${name}/index.js`)
}
