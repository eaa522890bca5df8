import { describe, expect, it, jest } from '@jest/globals'
import { awsError } from '../helpers/fakes.js'

const errorSpy = jest.fn<(message: string, props?: { title?: string }) => void>()
const debugSpy = jest.fn<(message: string) => void>()
const infoSpy = jest.fn<(message: string) => void>()
jest.unstable_mockModule('@actions/core', () => ({
  error: errorSpy,
  debug: debugSpy,
  isDebug: () => false,
  info: infoSpy,
  ExitCode: { Success: 0, Failure: 1 }
}))

const { UserError, inputError, awsErrorInfo, describeError, isAwsError } =
  await import('../../src/common/errors.js')
const { runAction } = await import('../../src/common/run.js')

describe('errors', () => {
  it('inputError names the input, the value and the expected form', () => {
    const error = inputError('environment-name', 'My Env', 'expected 4-40 letters, digits and hyphens.')
    expect(error).toBeInstanceOf(UserError)
    expect(error.input).toBe('environment-name')
    expect(error.message).toBe(
      `Input 'environment-name' is "My Env": expected 4-40 letters, digits and hyphens.`
    )
    expect(inputError('image', '', 'it is required.').message).toBe(`Input 'image' is empty: it is required.`)
  })

  it('recognises AWS errors and adds the fix for permission problems', () => {
    const denied = awsError(
      'AccessDeniedException',
      'User is not authorized to perform elasticbeanstalk:UpdateEnvironment'
    )
    expect(awsErrorInfo(denied)).toEqual({
      code: 'AccessDeniedException',
      message: denied.message,
      httpStatus: 400,
      requestId: 'req-1'
    })
    expect(isAwsError(denied, 'AccessDeniedException')).toBe(true)
    expect(isAwsError(new Error('x'), 'AccessDeniedException')).toBe(false)
    expect(describeError(denied)).toMatch(
      /^AccessDeniedException: User is not authorized.*docs\/aws-setup.md/
    )
  })
})

/** An action whose story is `main`, reporting nothing (runAction's own annotation and exit code under test). */
const story = (main: () => Promise<unknown>) => ({
  record: () => ({}),
  main: async () => void (await main()),
  report: () => undefined
})

describe('runAction', () => {
  it('turns a UserError into one titled annotation and exit code 1', async () => {
    process.exitCode = 0
    await runAction(
      story(async () => {
        throw inputError('timeout', 'soon', 'expected a duration such as 90s.')
      })
    )
    expect(errorSpy).toHaveBeenCalledWith(`Input 'timeout' is "soon": expected a duration such as 90s.`, {
      title: "Input 'timeout'"
    })
    expect(process.exitCode).toBe(1)
  })

  it("shows AWS's own code and message", async () => {
    process.exitCode = 0
    errorSpy.mockClear()
    await runAction(
      story(async () => {
        throw awsError('InvalidParameterValue', 'No Application Version named v9 found.')
      })
    )
    expect(errorSpy).toHaveBeenCalledWith('InvalidParameterValue: No Application Version named v9 found.', {
      title: 'AWS error InvalidParameterValue'
    })
    expect(process.exitCode).toBe(1)
    process.exitCode = 0
  })

  it('leaves the exit code alone on success', async () => {
    process.exitCode = 0
    errorSpy.mockClear()
    await runAction(story(async () => undefined))
    expect(errorSpy).not.toHaveBeenCalled()
    expect(process.exitCode).toBe(0)
  })

  it('calls the report exactly once, with the error, whatever main did', async () => {
    const reports: Array<{ record: { step?: string }; error: unknown }> = []
    const action = (main: (record: { step?: string }) => Promise<void>) => ({
      record: () => ({}),
      main,
      report: (record: { step?: string }, error: unknown) => void reports.push({ record, error })
    })
    process.exitCode = 0
    await runAction(action(async record => void (record.step = 'done')))
    expect(reports).toEqual([{ record: { step: 'done' }, error: undefined }])
    expect(process.exitCode).toBe(0)
    const boom = new Error('boom')
    await runAction(
      action(async record => {
        record.step = 'half'
        throw boom
      })
    )
    expect(reports[1]).toEqual({ record: { step: 'half' }, error: boom })
    expect(reports).toHaveLength(2)
    expect(process.exitCode).toBe(1)
    process.exitCode = 0
  })

  it("shows a report that breaks after the run's own error, and still fails", async () => {
    process.exitCode = 0
    errorSpy.mockClear()
    await runAction({
      record: () => ({}),
      main: async () => {
        throw inputError('timeout', 'soon', 'expected a duration such as 90s.')
      },
      report: () => {
        throw new Error('report broke')
      }
    })
    expect(errorSpy.mock.calls.map(call => String(call[0]))).toEqual([
      `Input 'timeout' is "soon": expected a duration such as 90s.`,
      expect.stringContaining('report broke')
    ])
    expect(process.exitCode).toBe(1)
    process.exitCode = 0
  })
})
