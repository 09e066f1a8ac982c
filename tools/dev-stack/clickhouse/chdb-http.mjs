// ClickHouse HTTP interface served by the real ClickHouse engine running in-process (npm `chdb`).
// Dev and test use only: one chDB session, requests run one at a time, no auth, loopback only.
//
// Speaks enough of https://clickhouse.com/docs/interfaces/http for `@clickhouse/client` and curl:
//   GET /ping, GET / (no query)          -> "Ok."
//   ?query=...  and/or the request body   -> the SQL (for INSERT the body is the data)
//   multipart/form-data bodies            -> `query` and `param_*` parts (client's multipart params)
//   ?database=db                          -> current database for this request (default: `default`)
//   ?param_name=value                     -> server-side query parameters ({name:Type})
//   ?default_format=Fmt                   -> output format when the query has no FORMAT clause
//   any other ?key=value                  -> a ClickHouse setting for this request only
//   Content-Encoding: gzip|deflate|br     -> compressed request bodies
//   enable_http_compression=1 + Accept-Encoding: gzip|deflate -> compressed responses
// Responses carry X-ClickHouse-Query-Id, X-ClickHouse-Format, X-ClickHouse-Summary, and on error
// X-ClickHouse-Exception-Code with a "Code: N. DB::Exception: ... (TYPE)" body, like the server.
//
// Env: CHDB_MODULE_DIR (folder whose node_modules holds chdb; required), CHDB_PATH (data dir),
//      HOST (127.0.0.1), PORT (8123), CHDB_HTTP_DATABASES (comma list created at start).
import http from 'node:http';
import zlib from 'node:zlib';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';

const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT || 8123);
if (!process.env.CHDB_MODULE_DIR) throw new Error('CHDB_MODULE_DIR is not set');
const { Session } = createRequire(path.join(process.env.CHDB_MODULE_DIR, 'package.json'))('chdb');

const session = new Session(process.env.CHDB_PATH || undefined);
// The real server quotes 64-bit integers in JSON formats by default; @clickhouse/client expects it.
await session.queryAsync('SET output_format_json_quote_64bit_integers = 1');
for (const db of (process.env.CHDB_HTTP_DATABASES || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)) {
  if (!/^\w+$/.test(db)) throw new Error(`bad database name: ${db}`);
  await session.queryAsync(`CREATE DATABASE IF NOT EXISTS ${db}`);
}
const VERSION = (await session.queryAsync('SELECT version()', { format: 'TabSeparated' })).text().trim();

// URL parameters that are part of the HTTP protocol, not ClickHouse settings.
const PROTOCOL_PARAMS = new Set([
  'query',
  'query_id',
  'database',
  'default_format',
  'user',
  'password',
  'quota_key',
  'role',
  'session_id',
  'session_timeout',
  'session_check',
  'compress',
  'decompress',
  'buffer_size',
  'wait_end_of_query',
  'enable_http_compression',
  'http_zlib_compression_level',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'http_wait_end_of_query',
]);

const CONTENT_TYPES = {
  JSON: 'application/json',
  JSONCompact: 'application/json',
  JSONStrings: 'application/json',
  JSONEachRow: 'application/x-ndjson',
  JSONCompactEachRow: 'application/x-ndjson',
  JSONStringsEachRow: 'application/x-ndjson',
  JSONEachRowWithProgress: 'application/x-ndjson',
  CSV: 'text/csv',
  CSVWithNames: 'text/csv',
  Parquet: 'application/octet-stream',
  RowBinary: 'application/octet-stream',
  Native: 'application/octet-stream',
  Arrow: 'application/octet-stream',
};

// chDB sessions carry state (current database, settings): run one request at a time.
let queue = Promise.resolve();
const serialized = (fn) => {
  const run = queue.then(fn, fn);
  queue = run.catch(() => {});
  return run;
};

const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

function decodeBody(req, body) {
  switch ((req.headers['content-encoding'] || '').toLowerCase()) {
    case 'gzip':
      return zlib.gunzipSync(body);
    case 'deflate':
      return zlib.inflateSync(body);
    case 'br':
      return zlib.brotliDecompressSync(body);
    default:
      return body;
  }
}

function parseMultipart(contentType, body) {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) return {};
  const boundary = `--${m[1] || m[2]}`;
  const parts = {};
  for (const raw of body.toString('utf8').split(boundary).slice(1)) {
    if (raw.startsWith('--')) break;
    const sep = raw.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const name = /name="([^"]+)"/.exec(raw.slice(0, sep));
    if (name) parts[name[1]] = raw.slice(sep + 4).replace(/\r\n$/, '');
  }
  return parts;
}

const sqlString = (v) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const settingValue = (v) => (/^-?\d+(\.\d+)?$/.test(v) ? v : sqlString(v));

// Apply per-request settings and return the statement that restores the previous values.
async function applySettings(settings) {
  const names = Object.keys(settings);
  if (!names.length) return null;
  for (const n of names) if (!/^\w+$/.test(n)) throw chError(115, `Unknown setting ${n}`, 'UNKNOWN_SETTING');
  const cur = (await session.queryAsync(`SELECT name, value FROM system.settings WHERE name IN (${names.map(sqlString).join(',')})`, { format: 'JSONEachRow' }))
    .text()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const known = new Set(cur.map((r) => r.name));
  const unknown = names.find((n) => !known.has(n));
  if (unknown) throw chError(115, `Setting ${unknown} is neither a builtin setting nor started with the prefix 'custom_'`, 'UNKNOWN_SETTING');
  await session.queryAsync(`SET ${names.map((n) => `${n} = ${settingValue(settings[n])}`).join(', ')}`);
  return `SET ${cur.map((r) => `${r.name} = ${sqlString(r.value)}`).join(', ')}`;
}

function chError(code, message, type) {
  const e = new Error(`Code: ${code}. DB::Exception: ${message}. (${type})`);
  e.clickhouseCode = code;
  return e;
}

async function execute(url, body, contentType) {
  const p = url.searchParams;
  let query = p.get('query') || '';
  const params = {};
  const settings = {};
  for (const [k, v] of p) {
    if (k.startsWith('param_')) params[k.slice(6)] = v;
    else if (!PROTOCOL_PARAMS.has(k)) settings[k] = v;
  }
  if (/^multipart\/form-data/i.test(contentType || '')) {
    const parts = parseMultipart(contentType, body);
    for (const [k, v] of Object.entries(parts)) if (k.startsWith('param_')) params[k.slice(6)] = v;
    if (parts.query !== undefined) query = query ? `${query}\n${parts.query}` : parts.query;
    body = Buffer.alloc(0);
  }
  // As in ClickHouse: the URL query comes first, the body follows (the data of an INSERT).
  const sql = query ? (body.length ? `${query}\n${body.toString('utf8')}` : query) : body.toString('utf8');
  if (!sql.trim()) throw chError(62, 'Empty query', 'SYNTAX_ERROR');
  const written =
    /^\s*INSERT\b/i.test(sql) && body.length
      ? body
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim()).length
      : 0;
  const format = p.get('default_format') || 'TabSeparated';

  return serialized(async () => {
    const started = process.hrtime.bigint();
    await session.queryAsync(`USE ${p.get('database') || 'default'}`);
    const restore = await applySettings(settings);
    try {
      const r = Object.keys(params).length ? await session.queryBindAsync(sql, params, { format }) : await session.queryAsync(sql, { format });
      return { result: r, written, elapsedNs: process.hrtime.bigint() - started, format: outputFormat(query || sql, format) };
    } finally {
      if (restore) await session.queryAsync(restore).catch(() => {});
    }
  });
}

// The output format: a trailing FORMAT clause wins over default_format (an INSERT's FORMAT names its input).
function outputFormat(sql, fallback) {
  if (/^\s*INSERT\b/i.test(sql)) return fallback;
  const m = /\bFORMAT\s+(\w+)\s*;?\s*$/i.exec(sql);
  return m ? m[1] : fallback;
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, `http://${HOST}`);
  const queryId = url.searchParams.get('query_id') || crypto.randomUUID();
  const base = { 'X-ClickHouse-Server-Display-Name': 'chdb-http', 'X-ClickHouse-Query-Id': queryId, 'X-ClickHouse-Timezone': 'UTC' };
  if (url.pathname === '/ping' || url.pathname === '/replicas_status' || (url.pathname === '/' && req.method === 'GET' && !url.searchParams.has('query'))) {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8', ...base });
    res.end('Ok.\n');
    return;
  }
  try {
    const body = decodeBody(req, await readBody(req));
    const { result, written, elapsedNs, format } = await execute(url, body, req.headers['content-type']);
    let out = Buffer.from(result.bytes());
    const summary = {
      read_rows: String(result.rowsRead ?? 0),
      read_bytes: String(result.bytesRead ?? 0),
      written_rows: String(written),
      written_bytes: String(written ? body.length : 0),
      total_rows_to_read: String(result.rowsRead ?? 0),
      result_rows: String(written),
      result_bytes: String(written ? body.length : 0),
      elapsed_ns: String(elapsedNs),
    };
    const headers = {
      ...base,
      'Content-Type': `${CONTENT_TYPES[format] || 'text/tab-separated-values'}; charset=UTF-8`,
      'X-ClickHouse-Format': format,
      'X-ClickHouse-Summary': JSON.stringify(summary),
    };
    const accept = String(req.headers['accept-encoding'] || '');
    if (url.searchParams.get('enable_http_compression') === '1' && /\b(gzip|deflate)\b/.test(accept)) {
      const gzip = /\bgzip\b/.test(accept);
      out = gzip ? zlib.gzipSync(out) : zlib.deflateSync(out);
      headers['Content-Encoding'] = gzip ? 'gzip' : 'deflate';
    }
    res.writeHead(200, headers);
    res.end(out);
  } catch (e) {
    const msg = String(e?.message || e);
    const code = e?.clickhouseCode ?? (/Code: (\d+)/.exec(msg) || [])[1] ?? 1000;
    const text = /Code: \d+/.test(msg) ? msg : `Code: ${code}. DB::Exception: ${msg}. (UNKNOWN_EXCEPTION)`;
    const status = [60, 81].includes(Number(code)) ? 404 : [62, 36, 46, 47, 115].includes(Number(code)) ? 400 : 500;
    res.writeHead(status, { ...base, 'X-ClickHouse-Exception-Code': String(code), 'Content-Type': 'text/plain; charset=UTF-8' });
    res.end(`${text} (version ${VERSION})\n`);
  }
});
server.keepAliveTimeout = 10_000; // sent as "Keep-Alive: timeout=10"; the client keeps sockets for less
server.listen(PORT, HOST, () => console.log(`chdb-http: ClickHouse ${VERSION} (chDB) on http://${HOST}:${PORT}, data ${session.path}`));

const stop = (sig) => {
  console.log(`chdb-http: ${sig}, stopping`);
  server.close();
  server.closeAllConnections?.();
  queue.finally(() => {
    session.close();
    process.exit(0);
  });
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
