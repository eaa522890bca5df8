/**
 * For a jest test file: sandboxes that are closed after each test. Uses jest's global `afterEach` rather than
 * importing @jest/globals, which throws outside jest: this module is part of the entry, which npm run demo,
 * local, sandbox and bench import too.
 */
import type { Sandbox, SandboxScenario } from './aws/types.js'

/**
 * A function that starts a silent sandbox (optionally on a hand-driven clock's time) and closes every sandbox it
 * started after each test.
 */
export function sandboxesClosedAfterEach(): (
  scenario?: SandboxScenario | string,
  clock?: { now: () => number }
) => Promise<Sandbox> {
  const boxes: Sandbox[] = []
  afterEach(async () => {
    for (const box of boxes.splice(0)) await box.close()
  })
  return async (scenario = 'default', clock) => {
    const { startSandbox } = await import('./aws/index.js')
    const box = await startSandbox(scenario, { silent: true, now: clock?.now })
    boxes.push(box)
    return box
  }
}
