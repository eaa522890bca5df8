import { runAction } from '../common/run.js'
import { checkUrl } from './main.js'

await runAction(checkUrl(), import.meta.url)
