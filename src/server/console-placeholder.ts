/** Served at `/` when the admin console (web/) has not been built. */
export function consolePlaceholder(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Waystation</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>Waystation</h1>
<p>The gateway is running, but the web console has not been built: run <code>npm run build:web</code>
(<code>npm start</code> does it for you). Meanwhile the management API is under <code>/api</code>
and the relay routes under <code>/v1</code> and <code>/v1beta</code>.</p>
<ul><li><a href="/healthz">/healthz</a></li><li><a href="/readyz">/readyz</a></li><li><a href="/metrics">/metrics</a></li></ul>
</body></html>`;
}
