// API contract test (issue #24, "The API keeps its published contract"): every operation of
// the OpenAPI document, called as every role and without credentials, must answer a status
// the document declares, with a body that matches the declared schema; errors must have the
// documented shape with a request_id; malformed bodies must be refused with a declared 4xx.
//
//   node tests/contract/run.mjs --stream build/bin/stream [--report FILE.json] [--verbose]
//
// It runs its own `stream serve` on a fresh synthetic registry and exits 0 only when it
// finds no violation. Modules come from web/node_modules (web/package.json devDependencies).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";

const webRequire = createRequire(new URL("../../web/package.json", import.meta.url));
const Ajv = webRequire("ajv").default ?? webRequire("ajv");
const addFormats = webRequire("ajv-formats").default ?? webRequire("ajv-formats");
const { Validator } = await import(pathToFileURL(webRequire.resolve("@seriousme/openapi-schema-validator")).href);

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");  // stream finds protocols/ from here
const argv = process.argv.slice(2);
const option = (name) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const stream = path.resolve(option("stream") ?? path.join(repo, "build/bin/stream"));
const reportFile = option("report");
const verbose = argv.includes("--verbose");
const today = new Date().toISOString().slice(0, 10);
const SLOW_MS = 2000;

// --- a registry and a server of our own (as web/e2e/run.mjs) ----------------------------
let data, server, base;
async function startServer() {
  // The binary may be missing for a moment while it is being relinked.
  for (let waited = 0; !existsSync(stream) && waited < 60; waited += 2) await new Promise((r) => setTimeout(r, 2000));
  data = mkdtempSync(path.join(tmpdir(), "stream-contract-"));
  execFileSync(stream, ["--data", data, "init"], { stdio: "ignore", cwd: repo });
  const demo = execFileSync(stream, ["--data", data, "demo", "generate", "--patients", "60", "--sites", "3", "--seed", "20261121"],
    { encoding: "utf8", cwd: repo });
  server = spawn(stream, ["--data", data, "serve", "--host", "127.0.0.1", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"], cwd: repo });
  base = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /serving on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(new URL(m[1]));
    });
    server.on("exit", (code) => reject(new Error(`stream serve exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`stream serve did not start: ${out}`)), 20000);
  });
  // one account per role and site, "   username   password   (role, SITE)"
  return [...demo.matchAll(/^\s+(\S+)\s+(\S+)\s+\((\w+)(?:, ([A-Z0-9-]+))?\)$/gm)]
    .map((m) => ({ username: m[1], password: m[2], role: m[3], site: m[4] ?? "" }));
}
function stopServer() {
  server?.kill();
  if (data) rmSync(data, { recursive: true, force: true });
}
process.on("SIGINT", () => { stopServer(); process.exit(130); });

// --- HTTP over a raw socket -------------------------------------------------------------
// A raw client, not fetch, so that a request can really go without Content-Length, with a
// wrong Content-Type or with more than 1 MiB, and so that an answer sent before the body
// was read (413) is still seen.
function send(method, target, headers = {}, body = null) {
  const started = Date.now();
  const payload = body === null ? null : Buffer.from(body);
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${base.host}`, "Connection: close"];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (payload) lines.push(`Content-Length: ${payload.length}`);
  return new Promise((resolve) => {
    const chunks = [];
    const socket = net.connect(Number(base.port), base.hostname);
    const finish = (error) => {
      socket.destroy();
      resolve({ ...parseResponse(Buffer.concat(chunks)), ms: Date.now() - started, error });
    };
    socket.setTimeout(10000, () => finish("no answer within 10 s"));
    socket.on("data", (c) => chunks.push(c));
    socket.on("end", () => finish());
    socket.on("error", (e) => finish(chunks.length ? undefined : e.message));  // EPIPE after a 413 is fine
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    if (payload) socket.write(payload);
  });
}

function parseResponse(raw) {
  const split = raw.indexOf("\r\n\r\n");
  if (split < 0) return { status: 0, headers: {}, body: "" };
  const [statusLine, ...headerLines] = raw.subarray(0, split).toString("latin1").split("\r\n");
  const headers = {};
  for (const h of headerLines) headers[h.slice(0, h.indexOf(":")).toLowerCase()] = h.slice(h.indexOf(":") + 1).trim();
  let body = raw.subarray(split + 4);
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) body = dechunk(body);
  else if (headers["content-length"] !== undefined) body = body.subarray(0, Number(headers["content-length"]));
  return { status: Number(statusLine.split(" ")[1]), headers, body: body.toString("utf8") };
}

function dechunk(buf) {
  const parts = [];
  for (let at = 0; at < buf.length;) {
    const eol = buf.indexOf("\r\n", at);
    const size = parseInt(buf.subarray(at, eol).toString(), 16);
    if (!size) break;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 4 + size;
  }
  return Buffer.concat(parts);
}

const json = (text) => { try { return JSON.parse(text); } catch { return undefined; } };

// A caller: a role's session (cookie + CSRF token) or nobody. `call` sends JSON bodies.
async function login(account, role) {
  const r = await send("POST", "/api/v1/session", { "Content-Type": "application/json" }, JSON.stringify({ username: account.username, password: account.password }));
  const cookie = /^([^;]+)/.exec(r.headers["set-cookie"] ?? "")?.[1];
  if (r.status !== 201 || !cookie) throw new Error(`log-in as ${account.username} failed: ${r.status} ${r.body}`);
  return { role, account, site: account.site ?? "", cookie, csrf: json(r.body).csrf_token };
}
// A log-in sent with a session cookie replaces that session: sign the caller in again, in place.
async function reloginAfter(o, who, res) {
  if (who.cookie && o.method === "POST" && o.path === "/api/v1/session" && res.status < 300) Object.assign(who, await login(who.account, who.role));
}
function authHeaders(who, method) {
  if (!who.cookie) return {};
  return method === "GET" || method === "HEAD" ? { Cookie: who.cookie } : { Cookie: who.cookie, "X-CSRF-Token": who.csrf };
}
function call(who, method, target, body) {
  const headers = authHeaders(who, method);
  if (body === undefined) return send(method, target, headers);
  return send(method, target, { ...headers, "Content-Type": "application/json" }, JSON.stringify(body));
}
async function getJson(who, target) {
  const r = await call(who, "GET", target);
  if (r.status !== 200) throw new Error(`GET ${target} as ${who.role}: ${r.status} ${r.body}`);
  return json(r.body);
}
async function postJson(who, target, body) {
  const r = await call(who, "POST", target, body);
  if (r.status !== 201) throw new Error(`POST ${target} as ${who.role}: ${r.status} ${r.body}`);
  return json(r.body);
}

// --- OpenAPI 3.0 schemas as JSON Schema for ajv ----------------------------------------------
const COMPONENTS = "stream:components";
const OPENAPI_ONLY = new Set(["example", "discriminator", "xml", "externalDocs", "nullable"]);
const schemaDefects = new Set();  // found while converting or compiling; reported at the end
// OpenAPI 3.0 is not JSON Schema: `nullable` must become a "null" type, and its own keywords go.
function toJsonSchema(s, at = "") {
  if (Array.isArray(s)) return s.map((x, i) => toJsonSchema(x, `${at}/${i}`));
  if (!s || typeof s !== "object") return s;
  if (typeof s.$ref === "string") return { $ref: COMPONENTS + s.$ref };
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (OPENAPI_ONLY.has(k) || k.startsWith("x-")) continue;
    if (k === "properties" || k === "patternProperties") out[k] = Object.fromEntries(Object.entries(v).map(([n, p]) => [n, toJsonSchema(p, `${at}/${k}/${n}`)]));
    else if (k === "enum" && !v.length) schemaDefects.add(`${at}: empty enum (no value can match)`);  // kept out so the rest still validates
    else if (["enum", "required", "type", "default", "const"].includes(k)) out[k] = v;
    else out[k] = toJsonSchema(v, `${at}/${k}`);
  }
  if (s.nullable !== true) return out;
  if (out.enum && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (out.type) out.type = [].concat(out.type, "null");
  else return { anyOf: [out, { type: "null" }] };
  return out;
}

function makeAjv(doc) {
  const ajv = new Ajv({ strict: false, allErrors: false, logger: false });
  addFormats(ajv);
  for (const f of ["int32", "int64"]) ajv.addFormat(f, { type: "number", validate: Number.isInteger });
  for (const f of ["float", "double"]) ajv.addFormat(f, { type: "number", validate: () => true });
  const schemas = Object.fromEntries(Object.entries(doc.components?.schemas ?? {}).map(([n, s]) => [n, toJsonSchema(s, `#/components/schemas/${n}`)]));
  ajv.addSchema({ $id: COMPONENTS, components: { schemas } });
  const compiled = new Map();
  // Answers the first validation error as text, or null when the value is valid.
  return (schema, value) => {
    if (!compiled.has(schema)) {
      try {
        compiled.set(schema, ajv.compile(toJsonSchema(schema)));
      } catch (e) {  // a schema ajv cannot use is the document's fault; say so once
        schemaDefects.add(`${JSON.stringify(schema).slice(0, 80)}: ${e.message}`);
        compiled.set(schema, () => true);
      }
    }
    const validate = compiled.get(schema);
    if (validate(value)) return null;
    const e = validate.errors[0];
    return `${e.instancePath || "/"} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ""}`;
  };
}

// --- violations ---------------------------------------------------------------------------
const violations = [];
let responsesChecked = 0;
const calledOperations = new Set();
function violation(kind, operation, who, res, detail, request = "") {
  violations.push({ kind, operation, role: who.role, status: res?.status ?? null, request, detail, request_id: res?.headers?.["x-request-id"] });
  if (verbose) console.log(`  VIOLATION ${kind}: ${operation} as ${who.role} → ${res?.status} ${request} ${detail}`);
}

const ERROR_SHAPE = { $ref: "#/components/schemas/Error" };
// Checks one answer against the operation's declared responses; `request` names a malformed variant.
function checkResponse(validate, o, who, res, request = "") {
  responsesChecked += 1;
  const op = `${o.method} ${o.path}`;
  const report = (kind, detail) => violation(kind, op, who, res, detail, request);
  if (verbose) console.log(`  ${res.status} ${op} as ${who.role}${request ? ` [${request}]` : ""} (${res.ms} ms)`);
  if (res.error || !res.status) return report("no answer", res.error ?? "no HTTP response");
  if (res.ms > SLOW_MS) report("slow answer", `${res.ms} ms`);
  const declared = o.op.responses[String(res.status)] ?? o.op.responses.default;
  const type = (res.headers["content-type"] ?? "").split(";")[0].trim();
  const body = type === "application/json" ? json(res.body) : undefined;
  if (res.status >= 400) checkErrorBody(validate, report, res, type, body);
  if (!declared) return report("undeclared status", `${res.status} is not among ${Object.keys(o.op.responses).join(", ")}`);
  const content = declared.content ?? {};
  if (!Object.keys(content).length || res.status >= 400) return;
  if (!content[type]) return report("undeclared content type", `${type || "(none)"} is not among ${Object.keys(content).join(", ")}`);
  if (type !== "application/json" || !content[type].schema) return;
  if (body === undefined) return report("body not JSON", res.body.slice(0, 80));
  const problem = validate(content[type].schema, body);
  if (problem) report("body not matching schema", problem);
}

function checkErrorBody(validate, report, res, type, body) {
  if (type !== "application/json" || body === undefined) return report("error body not JSON", `${type || "(no content type)"}: ${res.body.slice(0, 80)}`);
  const rid = body?.error?.request_id;
  if (typeof rid !== "string" || !rid) return report("missing request_id", JSON.stringify(body).slice(0, 120));
  const problem = validate(ERROR_SHAPE, body);
  if (problem) report("error body not in the error shape", problem);
  if (res.headers["x-request-id"] !== rid) report("request_id differs from X-Request-Id", `${rid} vs ${res.headers["x-request-id"]}`);
}

// --- request bodies -------------------------------------------------------------------------
// The document's examples are illustrative (their ids need not exist here), so plausible bodies
// per request schema from this registry, meant to succeed.
let serial = 0;
const next = () => (serial += 1);
const TWO_ARM = (id) => `id: ${id}\ntitle: Contract test trial\nversion: "1.0"\ncriteria:\n  inclusion:\n    - id: aml\n      wording: AML\n      rule: disease == "aml"\narms:\n  - id: std\n    name: Standard\n  - id: exp\n    name: Experimental\nassignment:\n  - id: randomised\n    rule: "true"\n    randomise: [std, exp]\nrandomisation:\n  method: permuted_blocks\n  ratio: {std: 1, exp: 1}\n  block_sizes: [2, 4]\n`;
const META = new Set(["id", "patient_id", "version", "deleted"]);
const isRecordPath = (p) => p.includes("/records/{kind}/{id}");

function newResponse(ctx) {
  const fields = Object.fromEntries(Object.entries(ctx.record).filter(([k]) => !META.has(k)));
  const day = new Date(`${ctx.record.assessment_date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);  // the day after a real assessment: valid for this patient
  return { ...fields, assessment_date: day.toISOString().slice(0, 10) };
}
// The object a PATCH or DELETE names, as it is now (gone when a malformed request was accepted).
async function current(ctx, o) {
  const url = isRecordPath(o.path) ? `/api/v1/records/response/${o.method === "DELETE" ? ctx.scratchRecordId : ctx.record.id}`
    : `/api/v1/patients/${o.method === "DELETE" ? ctx.scratchPatientId : ctx.patientId}`;
  const r = await call(ctx.admin, "GET", url);
  return r.status === 200 ? json(r.body) : { version: 1, birth_month: 1 };
}
const SAMPLES = {
  Credentials: (ctx) => ({ username: ctx.loginAccount.username, password: ctx.loginAccount.password }),
  Site: () => { const n = next(); return { code: `IT-CT-${String(n).padStart(2, "0")}`, name: `Contract site ${n}`, country: "IT" }; },
  NewUser: () => ({ username: `contract.user${next()}`, role: "monitor", password: "contract-test-password" }),
  UserChange: () => ({ disabled: false }),
  NewToken: () => ({ label: `contract token ${next()}` }),
  Patient: (ctx) => ({ pseudonym: `CT-${next()}`, site: ctx.site, sex: "female", birth_year: 1961, birth_month: 4, registered_on: "2025-01-10",
    identity: { name: "Contract Test", date_of_birth: "1961-04-02", hospital_number: `CT${serial}` } }),
  Record: (ctx) => newResponse(ctx),
  RecordCheck: (ctx) => ({ fields: newResponse(ctx), patient_id: ctx.patientId }),
  Change: async (ctx, o) => {
    const now = await current(ctx, o);
    const field = Object.keys(now).find((k) => !META.has(k) && k !== "pseudonym");
    return { version: now.version, reason: "contract test", changes: { [field]: now[field] } };  // changes nothing
  },
  Deletion: async (ctx, o) => ({ version: (await current(ctx, o)).version, reason: "contract test" }),
  ProtocolSource: () => ({ yaml: TWO_ARM(`contract-${next()}`) }),
  ArmStatus: () => ({ status: "open", reason: "contract test" }),  // the arm stays open
  SiteActivationRequest: () => ({ status: "active", effective_on: today, approval_reference: "contract test", reason: "contract test" }),
  EnrolmentRequest: (ctx) => ({ patient_id: ctx.candidate.id, idempotency_key: `contract-${next()}`, attestations: ctx.candidate.attestations }),
  EnrolmentEnding: () => ({ off_study_date: today, reason: "completed", note: "contract test" }),
  Reason: () => ({ reason: "contract test" }),
  AttestationRequest: (ctx) => ({ protocol: ctx.protocol, attestations: ctx.attestations }),
};

// Otherwise: the required properties, filled by type.
function synthesize(schema, doc) {
  const s = resolve(schema, doc);
  if (s.enum?.length) return s.enum[0];
  if (s.type === "object" || s.properties) {
    return Object.fromEntries((s.required ?? []).map((n) => [n, synthesize(s.properties?.[n] ?? {}, doc)]));
  }
  return { integer: 1, number: 1, boolean: false, array: [], string: s.format === "date" ? today : "contract" }[s.type] ?? {};
}
function resolve(node, doc) {
  return node?.$ref ? resolve(node.$ref.slice(2).split("/").reduce((o, k) => o[k], doc), doc) : node;
}
async function bodyFor(o, ctx, doc) {
  const media = o.op.requestBody?.content?.["application/json"];
  if (!media) return undefined;
  const name = media.schema?.$ref?.split("/").pop();
  return SAMPLES[name] ? SAMPLES[name](ctx, o) : synthesize(media.schema, doc);
}

// --- path and query parameters ------------------------------------------------------------
// Real ids visible to the caller; DELETE names objects made for the purpose.
function paramValue(name, o, ctx) {
  const del = o.method === "DELETE";
  switch (name) {
    case "kind": return "response";
    case "protocol": case "study": return ctx.protocol;
    case "arm": return ctx.arm;
    case "site": return ctx.site;
    case "username": return ctx.targetUser;
    case "id":
      if (o.path.includes("/tokens/")) return ctx.tokenId;
      if (o.path.includes("/enrolments/")) return ctx.enrolledId;
      if (isRecordPath(o.path)) return del ? ctx.scratchRecordId : ctx.record.id;
      // the demo's patients have no sealed identity; the scratch patient has one
      return del || o.path.endsWith("/identity") ? ctx.scratchPatientId : ctx.patientId;
    default: return undefined;
  }
}
function target(o, ctx, doc) {
  const params = o.params.map((p) => resolve(p, doc));
  const filled = o.path.replace(/\{(\w+)\}/g, (_, n) => encodeURIComponent(paramValue(n, o, ctx) ?? synthesize(params.find((p) => p.name === n)?.schema ?? {}, doc)));
  // Required query parameters, and `study` (statisticians' exports need it).
  const query = params.filter((p) => p.in === "query" && (p.required || p.name === "study"))
    .map((p) => `${p.name}=${encodeURIComponent(paramValue(p.name, o, ctx) ?? synthesize(p.schema ?? {}, doc))}`);
  return query.length ? `${filled}?${query.join("&")}` : filled;
}

// --- the run ------------------------------------------------------------------------------
const ROLES = ["investigator", "data_entry", "data_manager", "monitor", "statistician", "randomisation_admin", "board_member", "administrator"];
const METHODS = ["get", "head", "post", "put", "patch", "delete"];
const isDestructive = (o) => o.method === "DELETE" || o.path.endsWith("/end");
const nobody = { role: "unauthenticated" };

async function checkDocument(doc) {
  const o = { method: "GET", path: "/api/v1/openapi.json" };
  const result = await new Validator().validate(structuredClone(doc));
  if (!result.valid) violation("document not valid OpenAPI 3", o.method + " " + o.path, nobody, null, JSON.stringify(result.errors).slice(0, 300));
  const published = JSON.parse(readFileSync(path.join(repo, "docs/openapi.json"), "utf8"));
  if (!isDeepStrictEqual(published, doc)) violation("served document differs from docs/openapi.json", o.method + " " + o.path, nobody, null, "");
}

// Ids the roles can see: per site a patient with a response record, enrolled in the
// protocol with most enrolments, and a screening candidate with the attestations it lacks.
async function discover(admin) {
  const sites = (await getJson(admin, "/api/v1/sites")).items.map((s) => s.code);
  const protocols = (await getJson(admin, "/api/v1/protocols")).items;
  let best = { id: protocols[0].id, enrolled: [] };
  for (const p of protocols) {
    const items = (await getJson(admin, `/api/v1/protocols/${p.id}/enrolments`)).items;
    if (items.length > best.enrolled.length) best = { id: p.id, enrolled: items };
  }
  const protocol = protocols.find((p) => p.id === best.id);
  const patients = (await getJson(admin, "/api/v1/patients?limit=1000")).items;
  const candidates = (await getJson(admin, `/api/v1/protocols/${protocol.id}/candidates`)).items.map((c) => ({
    id: c.patient_id, site: c.site,
    attestations: Object.fromEntries((c.assignment?.missing ?? []).map((m) => /attested by the site: (\w+)/.exec(m)?.[1]).filter(Boolean).map((n) => [n, true])),
  }));
  const attestations = Object.assign({ fit_for_intensive_chemotherapy: true }, ...candidates.map((c) => c.attestations));
  const bySite = {};
  for (const site of sites) {
    const enrolled = best.enrolled.filter((e) => patients.find((p) => p.id === e.patient_id)?.site === site);
    const pool = [...enrolled.map((e) => e.patient_id), ...patients.filter((p) => p.site === site).map((p) => p.id)];
    for (const id of pool) {
      const record = (await getJson(admin, `/api/v1/patients/${id}/records/response`)).items[0];
      if (record) { bySite[site] = { patientId: id, record, enrolledId: enrolled[0]?.patient_id ?? id }; break; }
    }
  }
  return { sites, protocol: protocol.id, arm: protocol.arms[0].id, candidates, attestations, bySite };
}

// A caller's context, with scratch objects (a patient, a response record) for it to delete.
async function contextFor(who, world, admin, extra) {
  const site = who.site || world.sites[0];
  const mine = world.bySite[site];
  if (!mine) throw new Error(`no patient with a response record at ${site}: the demo registry changed?`);
  const candidate = world.candidates.find((c) => c.site === site && !c.taken) ?? world.candidates.find((c) => !c.taken) ?? { id: mine.patientId, attestations: world.attestations };
  candidate.taken = true;
  const ctx = { ...extra, admin, site, protocol: world.protocol, arm: world.arm, attestations: world.attestations, patientId: mine.patientId, record: mine.record, enrolledId: mine.enrolledId, candidate };
  const scratch = await postJson(admin, "/api/v1/patients", await SAMPLES.Patient(ctx));
  ctx.scratchPatientId = scratch.id;
  // on the caller's own patient, so that deleting the scratch patient first leaves it there
  ctx.scratchRecordId = (await postJson(admin, `/api/v1/patients/${ctx.patientId}/records/response`, newResponse(ctx))).id;
  if (who.cookie) {  // the role's own listing decides what it sees
    const listed = await call(who, "GET", `/api/v1/patients?limit=1000${who.site ? "" : `&site=${site}`}`);
    const items = listed.status === 200 ? json(listed.body).items : [];
    if (items.length && !items.some((p) => p.id === ctx.patientId)) console.log(`  note: ${who.role} does not list patient ${ctx.patientId}`);
  }
  return ctx;
}

async function exercise(o, who, ctx, doc, validate) {
  calledOperations.add(`${o.method} ${o.path}`);
  const body = await bodyFor(o, ctx, doc);
  const res = await call(who, o.method, target(o, ctx, doc), body);
  checkResponse(validate, o, who, res);
  await reloginAfter(o, who, res);
  if (!who.cookie && o.op.security?.length !== 0 && res.status !== 401) {
    violation("unauthenticated request not refused with 401", `${o.method} ${o.path}`, who, res, "");
  }
  if (o.method === "POST" && o.path === "/api/v1/tokens" && res.status === 201) ctx.tokenId = json(res.body).id;  // its own, to revoke
}

// Malformed bodies, as the administrator: each must get a declared 4xx with an error body.
async function malformed(o, admin, ctx, doc, validate) {
  const good = await bodyFor(o, ctx, doc);
  const url = target(o, ctx, doc);
  const h = authHeaders(admin, o.method);
  const asJson = { ...h, "Content-Type": "application/json" };
  const variants = [
    ["no body", h, null],
    ["empty body", asJson, ""],
    ["invalid JSON", asJson, '{"a": '],
    ["array for object", asJson, "[]"],
    ["unknown member", asJson, JSON.stringify({ ...good, zz_unknown: 1 })],
    ["body over 1 MiB", asJson, JSON.stringify({ ...good, zz_pad: "x".repeat(1100000) })],
    ["text/plain", { ...h, "Content-Type": "text/plain" }, JSON.stringify(good)],
  ];
  for (const [label, headers, body] of variants) {
    const res = await send(o.method, url, headers, body);
    const op = `${o.method} ${o.path}`;
    if (res.status >= 200 && res.status < 300) violation(label === "unknown member" ? "unknown member accepted" : "malformed request accepted", op, admin, res, res.body.slice(0, 100), label);
    else if (res.status && (res.status < 400 || res.status >= 500)) violation("malformed request not refused with 4xx", op, admin, res, res.body.slice(0, 100), label);
    checkResponse(validate, o, admin, res, label);
    await reloginAfter(o, admin, res);
  }
}

const groupBy = (list, key) => list.reduce((m, v) => m.set(key(v), [...(m.get(key(v)) ?? []), v]), new Map());  // Node 20 lacks Map.groupBy

function summarise(operationCount) {
  const byKind = groupBy(violations, (v) => v.kind);
  console.log(`\nviolations by kind:`);
  for (const [kind, list] of [...byKind].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`\n  ${kind}: ${list.length}`);
    const distinct = groupBy(list, (v) => `${v.operation} → ${v.status ?? "-"}${v.request ? ` [${v.request}]` : ""}: ${v.detail.replace(/\d{4,}/g, "N")}`);
    for (const [what, vs] of [...distinct].sort((a, b) => b[1].length - a[1].length).slice(0, verbose ? Infinity : 12)) {
      console.log(`    ${String(vs.length).padStart(3)}× ${what.slice(0, 220)}  (${[...new Set(vs.map((v) => v.role))].join(", ")})`);
    }
    if (!verbose && distinct.size > 12) console.log(`    … and ${distinct.size - 12} more distinct problems (--verbose or --report for all)`);
  }
  const summary = { operations_in_document: operationCount, operations_called: calledOperations.size, responses_checked: responsesChecked,
    violations: violations.length, responses_violating: new Set(violations.map((v) => `${v.operation}|${v.role}|${v.request}|${v.request_id}`)).size };
  console.log(`\n${summary.operations_in_document} operations in the document, ${summary.operations_called} called, ${summary.responses_checked} responses checked, ` +
    `${summary.responses_violating} responses with violations, ${summary.violations} violations`);
  return summary;
}

async function main() {
  const accounts = await startServer();
  const admin = await login(accounts.find((a) => a.role === "administrator"), "administrator");
  const doc = await getJson(admin, "/api/v1/openapi.json");
  const validate = makeAjv(doc);
  await checkDocument(doc);
  const operations = Object.entries(doc.paths).flatMap(([p, item]) => METHODS.filter((m) => item[m])
    .map((m) => ({ method: m.toUpperCase(), path: p, op: item[m], params: [...(item.parameters ?? []), ...(item[m].parameters ?? [])] })));

  // Accounts made for the purpose: one to log in with (so no role's own session is touched),
  // one to change; the accounts the run uses are never changed or deleted.
  const loginAccount = { username: "contract.login", password: "contract-login-password" };
  await postJson(admin, "/api/v1/users", { ...loginAccount, role: "monitor" });
  await postJson(admin, "/api/v1/users", { username: "contract.target", role: "monitor", password: "contract-target-password" });
  const fallbackToken = (await postJson(admin, "/api/v1/tokens", { label: "contract fallback" })).id;
  const world = await discover(admin);
  const extra = { loginAccount, targetUser: "contract.target", tokenId: fallbackToken };

  const callers = [];
  for (const role of ROLES) {
    const account = accounts.find((a) => a.role === role);
    const who = role === "administrator" ? admin : await login(account, role);
    callers.push({ who, ctx: await contextFor(who, world, admin, extra) });
  }
  callers.push({ who: nobody, ctx: await contextFor(nobody, world, admin, extra) });
  const logout = (o) => o.method === "DELETE" && o.path === "/api/v1/session";

  console.log(`contract: ${operations.length} operations × ${callers.length} callers on ${base.origin}`);
  for (const { who, ctx } of callers) for (const o of operations.filter((x) => !isDestructive(x))) await exercise(o, who, ctx, doc, validate);
  const malformedCtx = await contextFor(admin, world, admin, extra);
  for (const o of operations.filter((x) => x.op.requestBody)) await malformed(o, admin, malformedCtx, doc, validate);
  // Destructive operations last (they name scratch objects), and logging out the very last.
  for (const { who, ctx } of callers) for (const o of operations.filter((x) => isDestructive(x) && !logout(x))) await exercise(o, who, ctx, doc, validate);
  for (const { who, ctx } of callers) for (const o of operations.filter(logout)) await exercise(o, who, ctx, doc, validate);

  for (const d of schemaDefects) violation("document schema defect", "GET /api/v1/openapi.json", nobody, null, d);
  const summary = summarise(operations.length);
  if (reportFile) writeFileSync(reportFile, `${JSON.stringify({ summary, violations }, null, 2)}\n`);
  return violations.length ? 1 : 0;
}

let code = 2;
try {
  code = await main();
} catch (e) {
  console.error(`contract run failed: ${e.stack ?? e}`);
} finally {
  stopServer();
}
process.exit(code);
