/**
 * The one @actions/core fixture for in-process tests: the real module, with its logging replaced by recorders,
 * so tests can assert on what a user would see and no workflow command (::error, ::warning…) reaches the
 * test runner's own log, where GitHub would turn it into an annotation on this repository's CI run.
 *
 * Call `await mockCore()` before importing the modules under test (`await import(...)`).
 */
import { jest } from '@jest/globals'

export interface CoreLog {
  info: string[]
  warning: string[]
  error: string[]
  notice: string[]
  debug: string[]
}

export async function mockCore(): Promise<CoreLog> {
  const actual = await import('@actions/core')
  const log: CoreLog = { info: [], warning: [], error: [], notice: [], debug: [] }
  const recorder = (into: string[]) => (message: string | Error) => {
    into.push(message instanceof Error ? message.message : message)
  }
  jest.unstable_mockModule('@actions/core', () => ({
    ...actual,
    info: recorder(log.info),
    warning: recorder(log.warning),
    error: recorder(log.error),
    notice: recorder(log.notice),
    debug: recorder(log.debug),
    // the state a step saves for its post step (deploy-beanstalk's update): the runner's, tested through the bundle
    saveState: () => undefined,
    startGroup: recorder(log.info),
    endGroup: () => undefined,
    group: async <T>(name: string, fn: () => Promise<T>) => {
      log.info.push(name)
      return fn()
    }
  }))
  return log
}
