// Every screen and its address.
import { route } from "../router";
import { auditView } from "./audit";
import { candidatesView } from "./candidates";
import { enrolView } from "./enrol";
import { patientView } from "./patient";
import { newPatientView } from "./patient_new";
import { patientsView } from "./patients";
import { protocolsView } from "./protocols";
import { registryDashboardView } from "./registry_dashboard";
import { screeningView } from "./screening";
import { trialDashboardView } from "./trial_dashboard";

route("/patients", "Patients", patientsView);
route("/patients/new", "Register a patient", newPatientView);
route("/patients/:id", "Patient", patientView);
route("/patients/:id/screening", "Screening", screeningView);
route("/protocols", "Protocols", protocolsView);
route("/protocols/:protocol/candidates", "Candidates", candidatesView);
route("/protocols/:protocol/enrol/:id", "Enrolment", enrolView);
route("/protocols/:protocol/dashboard", "Trial dashboard", trialDashboardView);
route("/registry", "Registry dashboard", registryDashboardView);
route("/audit", "Audit trail", auditView);
