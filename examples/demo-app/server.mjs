// A tiny HTTP server: "/" answers hello, "/health" answers ok (for Beanstalk's health check).
import { createServer } from 'node:http'

const port = Number(process.env.PORT ?? 8080)
createServer((request, response) => {
  if (request.url === '/health') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n')
    return
  }
  response
    .writeHead(200, { 'content-type': 'text/plain' })
    .end(`hello from demo-app ${process.env.APP_VERSION ?? ''}\n`)
}).listen(port, () => console.log(`listening on ${port}`))
