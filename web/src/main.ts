// Start-up: resume the session or ask to log in, then draw the screen the address names.
import "./style.css";
import { onSessionEnded } from "./api";
import { replace } from "./dom";
import { errorPanel } from "./ui";
import { layout } from "./layout";
import { currentPath, go, resolve } from "./router";
import { can } from "./roles";
import { forget, resume, signedIn } from "./session";
import { loginView } from "./views/login";
import "./views/routes";

const app = document.getElementById("app")!;
let notice = "";
let renders = 0;  // the latest render wins when addresses change faster than answers come

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
    go(can("registry.read") ? "/patients" : "/protocols");
    return;
  }
  const ticket = ++renders;
  const { main, setBusy } = layout(app, currentPath().path);
  setBusy(true);
  document.title = `${match.title} · STREAM`;
  try {
    const node = await match.view(match.params, currentPath().query);
    if (ticket !== renders) return;
    replace(main, node);
  } catch (e) {
    // The session ended (the log-in screen is shown), or a newer address is on its way.
    if (!signedIn() || ticket !== renders) return;
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
