import * as core from '@actions/core'
import { runAction } from '../common/run.js'
import { STATE, clearStarted } from './cancel/state.js'
import { stopOnSignal } from './cancel/signals.js'
import { deployBeanstalk } from './main.js'

// One entry for both steps, as the runner runs them: the post step (action.yml `post`, when the job was cancelled or
// failed) is this bundle again, with the state the main step saved (STATE_* variables).
if (core.getState(STATE.isPost) === 'true') {
  await (await import('./cancel/post.js')).postStep()
} else {
  core.saveState(STATE.isPost, 'true')
  const action = stopOnSignal(deployBeanstalk())
  await runAction(action, import.meta.url)
  // stopped by a signal: the report is written and the wait it interrupted is still pending; the process ends here,
  // leaving the update this run started to the post step
  if (action.signal()) process.exit()
  clearStarted() // the step ended by itself: nothing of it is left for the post step
}
