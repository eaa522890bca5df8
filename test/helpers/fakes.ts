/** Small fakes shared by the unit tests (the fake clock is the sandbox's: the actions and the sandbox share it). */
import type { EnvironmentDescription } from '@aws-sdk/client-elastic-beanstalk'

export { fakeClock } from '../../sandbox/index.js'

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
