/**
 * The sandbox's one entry: everything the tests, `npm run demo`, `local`, `sandbox`, `registry` and `bench` use
 * of it. Nothing outside sandbox/ imports another file of it (eslint.config.js checks that).
 *
 * - the AWS sandbox: Elastic Beanstalk, CloudFront, S3 and STS on 127.0.0.1 (`startSandbox`, `scenarios`, the
 *   scenario and log types);
 * - the GitHub stand-ins: GHCR with its packages API (`startGhcrStub`), Debian's docker-registry
 *   (`startRegistry`, `pushImage`) and the demo app's site (`startSite`);
 * - the Actions runner: a bundle run as the runner runs it (`runBundle`; `runnerEnvironment`, `inputVariables`,
 *   `parseOutputFile`, `parseAnnotations` for those who spawn it themselves), an action's `run()` in process on
 *   an injected clock (`runInProcess`, `fakeClock`), and the clock that moves with the actions' calls
 *   (`actionDrivenClock`, for demo and local);
 * - for a jest test file: sandboxes closed after each test (`sandboxesClosedAfterEach`).
 *
 * Importing it is cheap: what takes a second to load (s3rver and the XML and zip libraries behind
 * `startSandbox`; the actions and @actions/core behind `runInProcess`) is loaded on the first call, so a unit
 * test that needs only `ROOT` or the fake clock, and `npm run local` before local-action starts, do not pay for it.
 */
import type { startSandbox as StartSandbox } from './aws/index.js'
import type { loadAction as LoadAction, runInProcess as RunInProcess } from './runner/in-process.js'

export * from './aws/types.js'
export { scenarios } from './aws/scenarios.js'
export type { SandboxOptions } from './aws/index.js'
export * from './stubs/ghcr.js'
export * from './stubs/registry.js'
export * from './stubs/site.js'
export * from './runner/bundle.js'
export * from './runner/fake-clock.js'
export type { ActionName, InProcessOptions } from './runner/in-process.js'
export * from './action-clock.js'
export * from './after-each.js'

/** Starts the AWS sandbox for a scenario (or a built-in scenario's name): see aws/index.ts. */
export const startSandbox: typeof StartSandbox = async (...args) =>
  (await import('./aws/index.js')).startSandbox(...args)

/** Runs an action's `run()` in this process as the runner runs its bundle: see runner/in-process.ts. */
export const runInProcess: typeof RunInProcess = async (...args) =>
  (await import('./runner/in-process.js')).runInProcess(...args)

/** Loads an action's modules ahead of its first run (for a `beforeAll`): see runner/in-process.ts. */
export const loadAction: typeof LoadAction = async (...args) =>
  (await import('./runner/in-process.js')).loadAction(...args)
