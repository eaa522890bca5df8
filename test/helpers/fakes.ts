/** Small fakes shared by the unit tests. */
import type { EnvironmentDescription } from '@aws-sdk/client-elastic-beanstalk'
import type { Clock } from '../../src/common/retry.js'

/** A clock whose sleeps move time on at once, recording each wait; `t` is the current time (ms epoch). */
export function fakeClock(start = 1_700_000_000_000): Clock & { t: number; waits: number[] } {
  const clock = {
    t: start,
    waits: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.waits.push(ms)
      clock.t += ms
    }
  }
  return clock
}

/** An error shaped like an AWS SDK v3 ServiceException (name = code, $fault, $metadata). */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-1' }
  })
}

/** BrillianCRM-env as DescribeEnvironments describes it (Ready, Green, running v1), with `over` on top. */
export const environmentDescription = (
  over: Partial<EnvironmentDescription> = {}
): EnvironmentDescription => ({
  EnvironmentName: 'BrillianCRM-env',
  EnvironmentId: 'e-crm0000001',
  ApplicationName: 'BrillianCRM',
  Status: 'Ready',
  Health: 'Green',
  VersionLabel: 'v1',
  SolutionStackName: '64bit Amazon Linux 2023 v4.4.0 running Docker',
  CNAME: 'crm.eu-central-1.elasticbeanstalk.com',
  ...over
})
