#!/usr/bin/env node
// A plain static file server for web/ on the loopback interface, used by tools/serve.sh, the
// browser tests and the web benchmark. It serves files and nothing else: no directory listings,
// nothing outside the root, and the MIME types the page needs (application/wasm lets the
// browser compile the module while it downloads).
//
//   node tools/static-server.mjs [ROOT] [PORT]     (PORT 0 picks a free port)
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.wasm': 'application/wasm', '.sono': 'application/octet-stream', '.ts': 'text/plain; charset=utf-8',
};

async function resolveFile(root, urlPath) {
  const path = resolve(join(root, decodeURIComponent(urlPath)));
  if (path !== root && !path.startsWith(root + sep)) return null;
  const info = await stat(path).catch(() => null);
  if (info?.isDirectory()) return resolveFile(root, join(urlPath, 'index.html'));
  return info?.isFile() ? { path, size: info.size } : null;
}

// Resolves with {server, url, requests}; `requests` lists every path asked for, in order.
// `base` serves the files under a sub-path, as GitHub Pages serves a project at /NAME/.
export function serveStatic(root, { port = 0, host = '127.0.0.1', base = '/' } = {}) {
  root = resolve(root);
  const requests = [];
  const server = createServer(async (request, response) => {
    const pathname = request.url.split(/[?#]/)[0];
    requests.push(pathname);
    const file = (request.method === 'GET' || request.method === 'HEAD') && pathname.startsWith(base)
      ? await resolveFile(root, pathname.slice(base.length - 1)).catch(() => null) : null;  // a malformed path is not found
    if (!file) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    response.writeHead(200, {
      'Content-Type': MIME_TYPES[extname(file.path)] ?? 'application/octet-stream',
      'Content-Length': file.size,
      'Cache-Control': 'no-cache',  // always revalidate: the service worker does the offline caching
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file.path).on('error', () => response.destroy()).pipe(response);
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolveServer({ server, url: `http://${host}:${server.address().port}${base}`, requests });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [root = 'web', port = '8080'] = process.argv.slice(2);
  const { url } = await serveStatic(root, { port: Number(port) });
  console.log(`Sonotype is served at ${url} (Ctrl-C stops it)`);
}
