import { runAction } from '../common/run.js'
import { deployBeanstalk } from './main.js'

await runAction(deployBeanstalk(), import.meta.url)
