// Registering a patient: the patient form, with the user's site and today filled in.
import { h } from "../dom";
import { go } from "../router";
import { kindSpec } from "../schema";
import { session } from "../session";
import { pageHeader } from "../ui";
import { recordForm } from "./record_form";

export async function newPatientView(): Promise<Node> {
  const spec = await kindSpec("patient");
  const today = new Date().toISOString().slice(0, 10);
  return h(
    "section",
    {},
    pageHeader("Register a patient"),
    h("p", {}, "Use the registry pseudonym only: names and hospital numbers never go into these fields."),
    recordForm({
      kind: "patient",
      spec,
      defaults: { site: session().site || null, registered_on: today },
      onSaved: (p) => go(`/patients/${p.id}`),
      onCancel: () => go("/patients"),
    }),
  );
}
