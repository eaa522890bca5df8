// TRANSITIONAL (issue 19): the call budget lives in common/retry.ts now; this path stays only until
// deploy-beanstalk/aws/beanstalk.ts imports it from there (the integrator removes this file then).
export { CallBudget, MAX_SILENT_WAIT_MS } from './retry.js'
