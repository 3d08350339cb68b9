// Shows the server's health report; no inline script, so the CSP can forbid them.
fetch('/healthz')
  .then((r) => r.json())
  .then((h) => {
    document.getElementById('status').textContent =
      `Server ${h.status}: schema version ${h.schema_version}, ${h.sites} site(s).`;
  })
  .catch(() => {
    document.getElementById('status').textContent = 'The server did not answer.';
  });
