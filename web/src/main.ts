// Start-up: resume the session or ask to log in, then draw the screen the address names.
import "./style.css";
import { onSessionEnded } from "./api";
import { replace } from "./dom";
import { errorPanel } from "./ui";
import { layout } from "./layout";
import { currentPath, go, resolve } from "./router";
import { can } from "./roles";
import { forget, resume, session, signedIn } from "./session";
import { loginView } from "./views/login";
import "./views/routes";

const app = document.getElementById("app")!;
let notice = "";

onSessionEnded(() => {
  if (!signedIn()) return;
  forget();
  notice = "Your session has ended. Log in again to continue where you were.";
  void render();
});

window.addEventListener("hashchange", () => void render());

async function render(): Promise<void> {
  if (!signedIn()) {
    replace(
      app,
      loginView(notice, () => {
        notice = "";
        void render();
      }),
    );
    document.title = "Log in · STREAM";
    return;
  }
  const match = resolve();
  if (!match) {
    go(can(session().role, "registry.read") ? "/patients" : "/protocols");
    return;
  }
  const { main, setBusy } = layout(app, currentPath().path);
  setBusy(true);
  document.title = `${match.title} · STREAM`;
  try {
    const node = await match.view(match.params, currentPath().query);
    replace(main, node);
  } catch (e) {
    if (!signedIn()) return;  // the session ended: the log-in screen is already shown
    replace(main, errorPanel(e));
  } finally {
    setBusy(false);
  }
  main.focus();
}

async function start(): Promise<void> {
  try {
    await resume();
  } catch (e) {
    replace(app, errorPanel(e));
    return;
  }
  await render();
}

void start();
