// End-to-end tests of the browser app: the real `stream serve` on a free loopback port,
// with a fresh synthetic registry, driven in Debian's Chromium by Playwright-core.
//
//   node e2e/run.mjs --stream ../build/bin/stream --screenshots ../build/screenshots
//
// It logs in, registers a patient with a diagnosis, genetics, a treatment line, consent and
// a response assessment (meeting a validation error on the way), screens the patient,
// randomises the patient into IMPACT-AML, opens the trial dashboard's Kaplan–Meier plot,
// suspends and re-activates a site from the dashboard as the trial office (which a site
// investigator cannot), and checks as another site's investigator that the patient cannot
// be seen. Every main
// screen is checked with axe-core (no serious or critical violation), must raise no
// Content-Security-Policy violation, and is saved as a screenshot at 1280×800 and at a
// phone's 390 px.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const stream = path.resolve(args.stream ?? path.join(here, "../../build/bin/stream"));
const shots = path.resolve(args.screenshots ?? path.join(here, "../../build/screenshots"));
const staticDir = path.resolve(here, "../dist");
const repo = path.resolve(here, "../..");  // stream finds protocols/ from here
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const axeSource = readFileSync(path.join(here, "../node_modules/axe-core/axe.min.js"), "utf8");

const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };

// --- a registry and a server of our own ------------------------------------------------
const data = mkdtempSync(path.join(tmpdir(), "stream-e2e-"));
mkdirSync(shots, { recursive: true });
execFileSync(stream, ["--data", data, "init"], { stdio: "ignore", cwd: repo });
const demo = execFileSync(stream, ["--data", data, "demo", "generate", "--patients", "150", "--sites", "3", "--seed", "20261121"], {
  encoding: "utf8",
  cwd: repo,
});
const accounts = new Map();
for (const m of demo.matchAll(/^\s+(\S+)\s+(\S+)\s+\((\w+)(?:, ([A-Z0-9-]+))?\)$/gm)) {
  accounts.set(m[1], { password: m[2], role: m[3], site: m[4] ?? "" });
}
const investigators = [...accounts].filter(([, a]) => a.role === "investigator");
if (investigators.length < 2) throw new Error(`expected demo investigators at two sites, got:\n${demo}`);
const [siteA, siteB] = investigators;

const server = spawn(stream, ["--data", data, "serve", "--host", "127.0.0.1", "--port", "0", "--static", staticDir], {
  stdio: ["ignore", "pipe", "inherit"],
  cwd: repo,
});
const base = await new Promise((resolve, reject) => {
  let out = "";
  server.stdout.on("data", (chunk) => {
    out += chunk;
    const m = /serving on (http:\/\/[^\s]+)/.exec(out);
    if (m) resolve(m[1].replace(/\/$/, ""));
  });
  server.on("exit", (code) => reject(new Error(`stream serve exited with ${code}: ${out}`)));
  setTimeout(() => reject(new Error(`stream serve did not start: ${out}`)), 20000);
});

// --- a small test harness ---------------------------------------------------------------
const failures = [];
let passed = 0;
function check(condition, message) {
  if (!condition) throw new Error(message);
}
async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed += 1;
    console.log(`  ok    ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failures.push(`${name}: ${e.message}`);
    console.log(`  FAIL  ${name}: ${e.message}`);
  }
}

const browser = await chromium.launch({
  executablePath: browserPath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});

async function newPage(viewport) {
  const context = await browser.newContext({ viewport, baseURL: base });
  const page = await context.newPage();
  page.cspViolations = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) page.cspViolations.push(m.text());
  });
  page.on("pageerror", (e) => page.cspViolations.push(`page error: ${e.message}`));
  return page;
}

// axe-core runs through the DevTools protocol, which the page's CSP does not govern.
async function accessible(page, screen) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  const serious = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(serious.length === 0, `${screen}: axe found ${serious.map((v) => `${v.id} (${v.impact}: ${v.help}; ${v.nodes.join(", ")})`).join("; ")}`);
  check(page.cspViolations.length === 0, `${screen}: ${page.cspViolations.join("; ")}`);
}

async function shoot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

async function settle(page) {
  await page.waitForFunction(() => document.querySelector("main")?.getAttribute("aria-busy") !== "true");
}

async function logIn(page, [username, account]) {
  await page.goto("/");
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByTestId("user").waitFor();
  await settle(page);
}

async function visit(page, hash) {
  await page.goto(`/#${hash}`);
  await settle(page);
}

// Fills a field of the record form on screen, whatever control the schema gave it.
async function fill(page, field, value) {
  const root = page.locator(`form.record-form [data-field="${field}"]`);
  if (await root.locator("select").count()) return root.locator("select").selectOption(value);
  if (await root.locator("input[type=checkbox]").count()) {
    for (const v of value.split(";")) await root.locator(`input[value="${v}"]`).check();
    return;
  }
  return root.locator("input").fill(value);
}

async function addRecord(page, patientId, kind, fields) {
  await visit(page, `/patients/${patientId}?tab=${kind}&new=1`);
  for (const [k, v] of Object.entries(fields)) await fill(page, k, v);
  await page.locator("form.record-form button[type=submit]").click();
  await page.waitForFunction((k) => !document.querySelector("form.record-form") && location.hash.includes(`tab=${k}`), kind);
  await settle(page);
}

const pseudonym = "STR-E2E-0001";
let patientId = 0;
const screens = [];  // [name, hash] of the main screens, for the phone pass

try {
  const page = await newPage(desktop);

  await step("the log-in screen is accessible and rejects a wrong password", async () => {
    await page.goto("/");
    await page.getByLabel("User name").waitFor();
    await accessible(page, "login");
    await shoot(page, "login-desktop");
    await page.getByLabel("User name").fill(siteA[0]);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("The user name or password is wrong.").waitFor();
  });

  await step("an investigator logs in and sees the patient list of their site", async () => {
    await logIn(page, siteA);
    await visit(page, "/patients");
    const sites = await page.locator("table.patients tbody td:nth-child(2)").allTextContents();
    check(sites.length > 0, "no patients listed");
    check(sites.every((s) => s === siteA[1].site), `foreign sites listed: ${[...new Set(sites)]}`);
    await accessible(page, "patients");
    await shoot(page, "patients-desktop");
    screens.push(["patients", "/patients"]);
  });

  await step("registers a patient", async () => {
    await visit(page, "/patients/new");
    await fill(page, "pseudonym", pseudonym);
    await fill(page, "sex", "female");
    await fill(page, "birth_year", "1961");
    await fill(page, "birth_month", "4");
    await accessible(page, "new patient");
    await page.locator("form.record-form button[type=submit]").click();
    await page.waitForURL(/#\/patients\/\d+$/);
    patientId = Number(/patients\/(\d+)/.exec(page.url())[1]);
    await settle(page);
    check((await page.locator("h1").textContent()) === pseudonym, "the patient page does not show the pseudonym");
  });

  await step("adds a diagnosis, genetics, a treatment line and trial consent", async () => {
    await addRecord(page, patientId, "diagnosis", {
      disease: "aml", diagnosis_date: "2025-03-02", origin: "de_novo", status_at_registration: "first_relapse",
    });
    await addRecord(page, patientId, "variant", {
      gene: "FLT3", variant_type: "itd", vaf: "32", method: "fragment_analysis", sample_date: "2025-03-03",
    });
    await addRecord(page, patientId, "treatment_line", {
      line_number: "1", regimen: "7+3", agents: "cytarabine;daunorubicin", intensity: "intensive",
      start_date: "2025-03-10", end_date: "2025-04-20", reason_stopped: "relapse",
    });
    await addRecord(page, patientId, "consent", { form_version: "2.1", consent_date: "2026-11-01", scope: "registry;trial" });
    const tabs = await page.locator("[role=tab]").allTextContents();
    check(tabs.some((t) => /Gene variants\s*1/.test(t)), `the variant tab shows no record: ${tabs.join(" | ")}`);
  });

  await step("a bad value in a response assessment gets the server's error, inline", async () => {
    await visit(page, `/patients/${patientId}?tab=response&new=1`);
    // Only the server knows the patient's history: its validation route answers inline.
    await fill(page, "assessment_date", "2024-12-01");
    await page.locator('[data-field-error="assessment_date"]').filter({ hasText: "before the diagnosis" }).waitFor();
    await fill(page, "assessment_date", "2025-04-25");
    await page.waitForFunction(() => !document.querySelector('[data-field-error="assessment_date"]')?.textContent);
    await fill(page, "marrow_blasts", "150");
    const error = page.locator('[data-field-error="marrow_blasts"]');
    await error.filter({ hasText: "out of range" }).waitFor();
    check((await page.locator('[data-field="marrow_blasts"] input').getAttribute("aria-invalid")) === "true", "the field is not marked invalid");
    await page.locator("form.record-form button[type=submit]").click();
    await page.locator(".form-error").filter({ hasText: "correct 1 field" }).waitFor();
    await shoot(page, "record-form-desktop");
    screens.push(["record-form", `/patients/${patientId}?tab=response&new=1`]);
    await fill(page, "marrow_blasts", "3");
    await fill(page, "blood_blasts", "0");
    await fill(page, "anc", "1.5");
    await fill(page, "platelets", "120");
    await fill(page, "eln2022_category", "cr");
    await page.waitForFunction(() => !document.querySelector('[data-field-error="marrow_blasts"]')?.textContent);
    await page.locator("form.record-form button[type=submit]").click();
    await page.waitForFunction(() => !document.querySelector("form.record-form"));
    await settle(page);
  });

  await step("the patient page shows the timeline and is accessible", async () => {
    await visit(page, `/patients/${patientId}`);
    check(await page.locator("figure.chart svg").count() > 0, "no timeline chart");
    const timeline = await page.locator("figure.chart details").textContent();
    check(/7\+3/.test(timeline) && /CR/.test(timeline), `the timeline table misses the line or response: ${timeline}`);
    // The derived picture: a disease state with its date, and the CR just entered read from
    // its counts beside the site's category.
    const state = await page.locator('dd[data-fact="Disease state"]').textContent();
    check(/ since \d{4}-\d{2}-\d{2}/.test(state), `the disease course shows no dated state: ${state}`);
    const assessments = await page.locator("section.disease-course table").textContent();
    check(/cr/.test(assessments), `the derived response of the CR just entered is missing: ${assessments}`);
    await accessible(page, "patient");
    await shoot(page, "patient-desktop");
    screens.push(["patient", `/patients/${patientId}`]);
  });

  await step("a correction asks for a reason, and the field's history shows it", async () => {
    await visit(page, `/patients/${patientId}?tab=variant`);
    await page.getByRole("link", { name: /Correct gene variants/ }).click();
    await settle(page);
    await fill(page, "vaf", "35");
    await page.locator("form.record-form button[type=submit]").click();
    await page.getByLabel("Reason for change (kept in the audit trail)").fill("Re-read the fragment analysis report");
    await page.getByRole("button", { name: "Save change" }).click();
    await page.waitForFunction(() => !document.querySelector("form.record-form"));
    await settle(page);
    await page.getByRole("link", { name: /Correct gene variants/ }).click();
    await settle(page);
    await page.getByRole("button", { name: "History of VAF" }).click();
    const dialog = page.locator("dialog");
    await dialog.getByText("Re-read the fragment analysis report").waitFor();
    check(/35/.test(await dialog.textContent()), "the history does not show the new value");
    await accessible(page, "field history");
    await dialog.getByRole("button", { name: "Close" }).click();
  });

  await step("screening explains each protocol's verdict and what is missing", async () => {
    await visit(page, `/patients/${patientId}/screening`);
    const card = page.locator('article.screening[data-protocol="impact-aml-rpct"]');
    await card.waitFor();
    const met = await card.locator("tr.criterion.met").count();
    check(met >= 4, `expected diagnosis, age, prior lines and consent met, got ${met}`);
    check(/not attested by the site: fit_for_intensive_chemotherapy/.test(await card.locator(".missing-box").textContent()),
      "the missing attestation is not listed");
    check(await page.locator('article.screening[data-protocol="hem-ismart"] .badge.no').count() > 0,
      "the children's protocol should not take an adult");
    await accessible(page, "screening");
    await shoot(page, "screening-desktop");
    screens.push(["screening", `/patients/${patientId}/screening`]);
  });

  let arm = "";
  await step("enrols and randomises the patient into IMPACT-AML after confirming", async () => {
    await page.locator('article.screening[data-protocol="impact-aml-rpct"]').getByRole("link", { name: /enrol/i }).click();
    await settle(page);
    await page.getByLabel(/I attest: fit for intensive chemotherapy/).check();
    await page.getByLabel(/I attest: fit for low intensity therapy/).check();
    await page.getByLabel(/I have seen the signed trial consent/).check();
    await accessible(page, "enrolment");
    await shoot(page, "enrolment-desktop");
    screens.push(["enrolment", `/protocols/impact-aml-rpct/enrol/${patientId}`]);
    await page.getByRole("button", { name: "Randomise…" }).click();
    await page.locator("dialog").getByRole("button", { name: "Randomise" }).click();
    const allocation = page.getByTestId("allocation");
    await allocation.waitFor();
    arm = await allocation.locator("[data-arm]").getAttribute("data-arm");
    check(arm === "low_intensity" || arm === "high_intensity", `unexpected allocation '${arm}'`);
    await shoot(page, "allocation-desktop");
  });

  await step("a blinded role sees the allocation of a blinded trial as concealed", async () => {
    // A blinded copy of IMPACT-AML, loaded as a new protocol through the API.
    const yaml = readFileSync(path.join(repo, "protocols/impact-aml-rpct.yaml"), "utf8")
      .replace(/^id: impact-aml-rpct$/m, "id: impact-aml-blinded")
      .replace(/^title: .*$/m, "title: IMPACT-AML (blinded copy for the end-to-end test)")
      .replace(/^  blinded: false$/m, "  blinded: true");
    check(yaml.includes("blinded: true"), "could not make the blinded copy");
    const manager = await newPage(desktop);
    await logIn(manager, ["data_manager.demo", accounts.get("data_manager.demo")]);
    const loaded = await manager.evaluate(async (text) => {
      const token = (await (await fetch("/api/v1/session")).json()).csrf_token;
      const r = await fetch("/api/v1/protocols", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
        body: JSON.stringify({ yaml: text }),
      });
      return `${r.status} ${await r.text()}`;
    }, yaml);
    check(loaded.startsWith("201"), `loading the blinded protocol: ${loaded}`);
    // A new protocol enrols only where it is activated (issue 23): activate it at the
    // patient's site, with its ethics approval, from today.
    const activated = await manager.evaluate(async (site) => {
      const token = (await (await fetch("/api/v1/session")).json()).csrf_token;
      const r = await fetch(`/api/v1/protocols/impact-aml-blinded/sites/${site}/status`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
        body: JSON.stringify({ status: "active", effective_on: new Date().toISOString().slice(0, 10), protocol_version: "1.0", approval_reference: "EC-E2E-1", reason: "end-to-end test" }),
      });
      return `${r.status} ${await r.text()}`;
    }, siteA[1].site);
    check(activated.startsWith("20"), `activating the blinded protocol: ${activated}`);
    await visit(manager, `/protocols/impact-aml-blinded/enrol/${patientId}`);
    await manager.getByLabel(/I attest: fit for intensive chemotherapy/).check();
    await manager.getByLabel(/I attest: fit for low intensity therapy/).check();
    await manager.getByLabel(/I have seen the signed trial consent/).check();
    await manager.getByRole("button", { name: "Randomise…" }).click();
    await manager.locator("dialog").getByRole("button", { name: "Randomise" }).click();
    const allocation = manager.getByTestId("allocation");
    await allocation.waitFor();
    check((await allocation.locator("[data-arm]").getAttribute("data-arm")) === "concealed", "the arm is not concealed");
    check(!/intensity salvage/.test(await allocation.textContent()), "an arm name shows through");
    await shoot(manager, "allocation-concealed-desktop");
    await manager.context().close();
  });

  await step("the candidate list of a protocol sorts by column", async () => {
    await visit(page, "/protocols/impact-aml-rpct/candidates");
    await page.getByRole("button", { name: "Site" }).click();
    check((await page.locator('th[data-sort="site"]').getAttribute("aria-sort")) === "ascending", "not sorted by site");
    const rows = await page.locator("table.candidates tbody tr").count();
    check(rows > 0, "no candidates");
    await accessible(page, "candidates");
    await shoot(page, "candidates-desktop");
    screens.push(["candidates", "/protocols/impact-aml-rpct/candidates"]);
  });

  await step("the trial dashboard draws accrual, arm fill, CONSORT and the Kaplan–Meier plot", async () => {
    await visit(page, "/protocols/impact-aml-rpct/dashboard");
    const km = page.getByTestId("km-plot");
    await km.waitFor();
    check(await km.locator("svg path").count() >= 2, "the KM plot has no curves");
    check(await page.locator("table.at-risk tbody tr").count() >= 1, "no number-at-risk table");
    check(/Enrolled \(n = \d+\)/.test(await page.getByTestId("consort").textContent()), "no CONSORT enrolled box");
    check(await page.locator("table.recruitment tbody tr").count() >= 1, "no recruitment-by-site table");
    check(/Analysed: \d+ patients/.test(await page.locator("[data-analysed]").textContent()), "the survival view does not say how many patients it analysed");
    await accessible(page, "trial dashboard");
    await shoot(page, "trial-dashboard-desktop");
    screens.push(["trial-dashboard", "/protocols/impact-aml-rpct/dashboard"]);
  });

  await step("the trial office suspends and re-activates a site from the dashboard; an investigator cannot", async () => {
    const office = await newPage(desktop);
    await logIn(office, ["data_manager.demo", accounts.get("data_manager.demo")]);
    await visit(office, "/protocols/impact-aml-rpct/dashboard");
    const site = siteB[1].site;
    const row = office.locator(`table.recruitment tr[data-site="${site}"]`);
    const state = async () => row.locator("td[data-state]").getAttribute("data-state");
    check((await state()) === "active", `${site} is not active to begin with: ${await state()}`);
    const dialog = office.locator("dialog");

    // A suspension needs a reason: asked for in the page, then the server's limit, inline.
    await row.getByRole("button", { name: `Suspend site ${site}…` }).click();
    const suspend = dialog.getByRole("button", { name: "Suspend site" });
    await suspend.click();
    await dialog.locator(".field-error").filter({ hasText: "Give the reason for the suspension." }).waitFor();
    const reason = dialog.getByLabel("Reason (required)");
    check((await reason.getAttribute("aria-invalid")) === "true", "the empty reason is not marked invalid");
    await reason.fill("x".repeat(501));
    await suspend.click();
    await dialog.locator(".field-error").filter({ hasText: "at most 500 characters" }).waitFor();
    check(/did not accept/.test(await dialog.locator(".form-error").textContent()), "the server's refusal is not announced");
    await reason.fill("Drug supply interrupted (end-to-end test)");
    await accessible(office, "site status dialog");
    await shoot(office, "site-status-desktop");
    await suspend.click();
    await dialog.waitFor({ state: "detached" });
    await row.locator('td[data-state="suspended"]').waitFor();
    check((await row.locator("td[data-state]").textContent()) === "suspended", "the table does not say suspended");
    check(new RegExp(`${site}: suspended from`).test(await office.locator(".site-change").textContent()), "the change is not announced");
    await office.locator("details.site-history summary").click();
    check(/Drug supply interrupted \(end-to-end test\)/.test(await office.locator("table.site-history").textContent()), "the history does not show the suspension");

    // Re-activation needs the approval reference; the version defaults to the current one.
    await row.getByRole("button", { name: `Re-activate site ${site}…` }).click();
    const reactivate = dialog.getByRole("button", { name: "Re-activate site" });
    await reactivate.click();
    await dialog.locator(".field-error").filter({ hasText: "approval reference" }).waitFor();
    check(/\(current\)/.test(await dialog.getByLabel("Protocol version approved at the site").locator("option:checked").textContent()),
      "the current version is not the default");
    await dialog.getByLabel("Approval reference (required)").fill("EC-E2E-2");
    await reactivate.click();
    await dialog.waitFor({ state: "detached" });
    await row.locator('td[data-state="active"]').waitFor();
    check(/EC-E2E-2/.test(await row.textContent()), "the table does not show the new approval");
    check(/EC-E2E-2/.test(await office.locator("table.site-history").textContent()), "the history (kept open) misses the re-activation");
    await accessible(office, "trial dashboard (trial office)");
    await shoot(office, "recruitment-office-desktop");
    await office.context().close();

    // A site investigator sees the table, without the actions, and the server refuses them.
    await visit(page, "/protocols/impact-aml-rpct/dashboard");
    await page.locator("table.recruitment").waitFor();
    check((await page.locator("table.recruitment button").count()) === 0, "an investigator sees buttons to change a site's status");
    check(!/Change status/.test(await page.locator("table.recruitment thead").textContent()), "an investigator sees the Change status column");
    const refused = await page.evaluate(async (code) => {
      const token = (await (await fetch("/api/v1/session")).json()).csrf_token;
      const r = await fetch(`/api/v1/protocols/impact-aml-rpct/sites/${code}/status`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
        body: JSON.stringify({ status: "suspended", effective_on: new Date().toISOString().slice(0, 10), reason: "not mine to change" }),
      });
      return r.status;
    }, siteA[1].site);
    check(refused === 403, `the server answered ${refused} to an investigator changing a site's status`);
  });

  await step("the registry dashboard and the audit trail", async () => {
    await visit(page, "/registry");
    check(await page.locator("figure.chart svg").count() >= 5, "registry charts missing");
    await accessible(page, "registry dashboard");
    await shoot(page, "registry-dashboard-desktop");
    screens.push(["registry-dashboard", "/registry"]);
    await visit(page, `/audit?patient_id=${patientId}`);
    check(/Re-read the fragment analysis report/.test(await page.locator("table.audit").textContent()), "the correction is not in the audit view");
    await accessible(page, "audit");
    await shoot(page, "audit-desktop");
    screens.push(["audit", `/audit?patient_id=${patientId}`]);
  });

  await step("each main screen on a phone, 390 px wide", async () => {
    const small = await newPage(phone);
    await logIn(small, siteA);
    await shoot(small, "login-phone");
    for (const [name, hash] of screens) {
      await visit(small, hash);
      if (name === "trial-dashboard") await small.getByTestId("km-plot").waitFor();
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 1, `${name}: the page is ${overflow} px wider than the phone`);
      await accessible(small, `${name} (phone)`);
      await shoot(small, `${name}-phone`);
    }
    await small.context().close();
  });

  await step("after logging out, the session is gone", async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("User name").waitFor();
    const status = await page.evaluate(async () => (await fetch("/api/v1/patients")).status);
    check(status === 401, `the API answered ${status} after log-out`);
  });

  await step("another site's investigator cannot see the patient", async () => {
    await logIn(page, siteB);
    await visit(page, `/patients?pseudonym=${pseudonym}`);
    await page.getByText(`No patient with pseudonym ${pseudonym}`).waitFor();
    await visit(page, `/patients/${patientId}`);
    await page.getByRole("heading", { name: "Not found" }).waitFor();
    await visit(page, "/protocols/impact-aml-rpct/candidates");
    check(!(await page.locator("table.candidates").textContent()).includes(pseudonym), "the patient is among the candidates");
    await shoot(page, "other-site-desktop");
  });

  await step("an ended session brings back the log-in screen", async () => {
    await page.context().clearCookies();
    await visit(page, "/patients");
    await page.getByText("Your session has ended").waitFor();
  });
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(data, { recursive: true, force: true });
}

console.log(`\n${passed} passed, ${failures.length} failed; screenshots in ${shots}`);
if (failures.length) {
  for (const f of failures) console.log(`FAIL ${f}`);
  process.exit(1);
}
