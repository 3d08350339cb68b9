// Hash routes (#/patients/12): the server serves one static page, so every screen is
// reachable by a link and by the back button without server-side routing.

export type View = (params: Record<string, string>, query: URLSearchParams) => Promise<Node>;

interface Route {
  pattern: RegExp;
  keys: string[];
  view: View;
  title: string;
}

const routes: Route[] = [];

export function route(path: string, title: string, view: View): void {
  const keys: string[] = [];
  const pattern = new RegExp(
    "^" +
      path.replace(/:([a-z_]+)/g, (_, key: string) => {
        keys.push(key);
        return "([^/]+)";
      }) +
      "$",
  );
  routes.push({ pattern, keys, view, title });
}

export function currentPath(): { path: string; query: URLSearchParams } {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, q] = hash.split("?", 2);
  return { path, query: new URLSearchParams(q ?? "") };
}

export function resolve(): { view: View; params: Record<string, string>; title: string } | null {
  const { path } = currentPath();
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
    return { view: r.view, params, title: r.title };
  }
  return null;
}

export function go(path: string): void {
  location.hash = path;
}
