// Enrolling one patient: the eligibility summary, the site's attestations, confirmation of
// consent, then the allocation after a last confirmation. A blinded role sees the
// allocation as concealed.
import { get, post } from "../api";
import { showDialog } from "../dialog";
import { h } from "../dom";
import type { EnrolmentAnswer, Patient, ProtocolDetail, ProtocolScreening, RegistryRecord } from "../model";
import { busy, errorText, link, pageHeader, verdictBadge } from "../ui";
import { criteriaTable, missingList } from "./screening_card";

const attestationPrefix = "not attested by the site: ";

// The attestations still missing, each with the wording of the criterion that asks for it.
function attestationsNeeded(s: ProtocolScreening): Array<{ name: string; wording: string }> {
  const out = new Map<string, string>();
  for (const m of missingList(s)) {
    if (!m.startsWith(attestationPrefix)) continue;
    const name = m.slice(attestationPrefix.length).trim();
    const criterion = s.criteria.find((c) => c.missing.includes(m));
    out.set(name, criterion?.wording ?? name.replace(/_/g, " "));
  }
  return [...out].map(([name, wording]) => ({ name, wording }));
}

function confirm(title: string, text: string, action: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ok = h("button", { type: "button" }, action);
    let answered = false;
    const dialog = showDialog(title, h("p", {}, text), [ok]);
    ok.addEventListener("click", () => {
      answered = true;
      resolve(true);
      dialog.close();
    });
    dialog.addEventListener("close", () => answered || resolve(false));
    ok.focus();
  });
}

function allocationPanel(protocol: ProtocolDetail, answer: EnrolmentAnswer): HTMLElement {
  const e = answer.enrolment!;
  const concealed = e.arm === "(blinded)";
  const arm = protocol.arms.find((a) => a.id === e.arm);
  return h(
    "section",
    { class: "panel allocation", role: "status", "data-testid": "allocation" },
    h("h2", {}, answer.status === "replayed" ? "Already enrolled" : "Enrolled"),
    h("p", { class: "arm" }, "Allocation: ", h("strong", { "data-arm": concealed ? "concealed" : e.arm }, concealed ? "concealed" : arm ? arm.name : e.arm)),
    concealed ? h("p", { class: "muted" }, "Your role does not see the arm of this blinded trial; pharmacy and the randomisation administrator do.") : null,
    h("p", { class: "muted" }, `${e.method === "rule" ? "Assigned by rule" : `Method: ${e.method}`} · ${e.enrolled_at.replace("T", " ").slice(0, 16)} · by ${e.enrolled_by}`),
  );
}

export async function enrolView(params: Record<string, string>): Promise<Node> {
  const protocolId = params.protocol;
  const id = Number(params.id);
  const [patient, protocol, screening, consents] = await Promise.all([
    get<Patient>(`/patients/${id}`),
    get<ProtocolDetail>(`/protocols/${protocolId}`),
    get<{ protocols: ProtocolScreening[] }>(`/patients/${id}/screening`),
    get<{ items: RegistryRecord[] }>(`/patients/${id}/records/consent`),
  ]);
  const s = screening.protocols.find((p) => p.protocol === protocolId);
  const root = h("section", { class: "enrol" }, pageHeader(`Enrol ${patient.pseudonym}`, h("p", { class: "muted" }, protocol.title)));
  if (!s) {
    root.appendChild(h("p", { role: "alert" }, "This protocol did not screen the patient."));
    return root;
  }
  root.appendChild(h("section", { class: "panel" }, h("h2", {}, "Eligibility ", verdictBadge(s.verdict)), criteriaTable(s)));

  const attestations = attestationsNeeded(s);
  const boxes = attestations.map(({ name, wording }) => {
    const box = h("input", { type: "checkbox", id: `attest-${name}`, value: name });
    // The attested fact in its own words: whether ticking it keeps or excludes the patient
    // is the rule's business, so the criterion is shown beside it, not paraphrased.
    return {
      name,
      box,
      row: h("div", { class: "choice" }, box, h("label", { for: box.id }, `I attest: ${name.replace(/_/g, " ")}`, h("span", { class: "muted" }, ` — for “${wording}”`))),
    };
  });
  const trialConsents = consents.items.filter((c) => Array.isArray(c.scope) && (c.scope as string[]).includes("trial") && !c.withdrawal_date);
  const consentBox = h("input", { type: "checkbox", id: "consent-confirmed", required: true });
  const consentText = trialConsents.length
    ? `I have seen the signed trial consent (form ${trialConsents.map((c) => `${c.form_version}, signed ${c.consent_date}`).join("; ")}) and it covers this protocol.`
    : "No trial consent is recorded: record it on the patient's Consent tab first.";
  const error = h("div", { class: "form-error", role: "alert" });
  const randomised = protocol.randomised;
  const submit = h("button", { type: "submit", disabled: trialConsents.length === 0 }, randomised ? "Randomise…" : "Enrol…");
  const idempotencyKey = crypto.randomUUID();
  const form = h(
    "form",
    { class: "panel" },
    h("h2", {}, "Confirm"),
    attestations.length ? h("fieldset", {}, h("legend", {}, "Site attestations the protocol asks for"), boxes.map((b) => b.row)) : null,
    h("fieldset", {}, h("legend", {}, "Consent"), h("div", { class: "choice" }, consentBox, h("label", { for: consentBox.id }, consentText))),
    error,
    h("div", { class: "actions" }, submit, link(`/patients/${id}/screening`, "Cancel", { class: "button secondary" })),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    error.textContent = "";
    if (!consentBox.checked) {
      error.textContent = "Confirm the patient's consent first.";
      consentBox.focus();
      return;
    }
    void busy(submit, async () => {
      const go = await confirm(
        randomised ? "Randomise this patient?" : "Enrol this patient?",
        `${patient.pseudonym} will be enrolled in ${protocol.title}${randomised ? " and an arm drawn from the concealed list" : ""}. An enrolment cannot be undone.`,
        randomised ? "Randomise" : "Enrol",
      );
      if (!go) return;
      try {
        const attested: Record<string, boolean> = {};
        for (const b of boxes) if (b.box.checked) attested[b.name] = true;
        const answer = await post<EnrolmentAnswer>(`/protocols/${protocolId}/enrolments`, {
          patient_id: id,
          idempotency_key: idempotencyKey,
          attestations: attested,
        });
        if (answer.status === "refused") {
          error.replaceChildren(h("p", {}, "Not enrolled:"), h("ul", {}, (answer.reasons ?? []).map((r) => h("li", {}, r))));
          return;
        }
        form.replaceWith(allocationPanel(protocol, answer));
      } catch (err) {
        error.textContent = errorText(err);
      }
    });
  });
  root.appendChild(form);
  return root;
}
