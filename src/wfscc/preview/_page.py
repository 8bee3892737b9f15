"""What `wfscc preview` adds to the pages it serves: the live-reload script, and the error page."""

from __future__ import annotations

import html

# The script long-polls the preview's status: it reloads the page when the HTML it was served
# has been replaced, and shows, in a small status box, whether the PDFs and the search index
# have caught up with the pages.
_SCRIPT = """\
(function () {
  "use strict";
  var me = document.currentScript;
  var version = me.getAttribute("data-version");
  var seq = -1;
  var box = document.createElement("div");
  box.id = "wfscc-preview-status";
  box.setAttribute("role", "status");
  box.style.cssText = "position:fixed;right:1rem;bottom:1rem;z-index:1000;max-width:24rem;" +
    "padding:.5rem .75rem;border:2px solid #0b0c0c;background:#fff;color:#0b0c0c;" +
    "font:14px/1.4 system-ui,sans-serif;box-shadow:0 2px 6px rgba(0,0,0,.25)";
  function text(s) {
    if (s.state === "error") { return "The last build failed: reloading shows its error."; }
    if (s.state === "building") { return "Preview: updating the pages\\u2026"; }
    if (s.full === "current") { return "Preview: pages, PDFs and search index are current."; }
    return "Preview: pages current; PDFs and search index updating\\u2026";
  }
  function show(s) {
    box.setAttribute("data-state", s.state);
    box.setAttribute("data-full", s.full);
    box.textContent = text(s);
    if (!box.isConnected) { document.body.appendChild(box); }
  }
  function poll() {
    fetch("/__wfscc__/status.json?seq=" + seq, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (String(s.version) !== version) { window.location.reload(); return; }
        seq = s.seq;
        show(s);
        poll();
      })
      .catch(function () {
        box.setAttribute("data-state", "stopped");
        box.textContent = "Preview stopped: start wfscc preview again to see changes.";
        setTimeout(poll, 2000);
      });
  }
  poll();
})();
"""


def live_script() -> str:
    return _SCRIPT


def error_page(status: dict, script: str) -> str:
    """The page served instead of every page while the last build failed: its message."""
    message = html.escape(status.get("error") or "The build failed.")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed – wfscc preview</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #0b0c0c; }}
main {{ max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
pre {{ white-space: pre-wrap; border-left: 5px solid #d4351c; padding: 1rem;
      background: #f3f2f1; overflow-wrap: anywhere; }}
</style>
</head>
<body>
<header><p>wfscc preview</p></header>
<main id="wfscc-build-error">
<h1>The build failed</h1>
<p>Nothing was published: the site and PDFs stay as they were. Fix the problem below and save;
this page reloads when the next build succeeds.</p>
<pre>{message}</pre>
</main>
{script}
</body>
</html>
"""


def waiting_page(script: str) -> str:
    """The page served for a page the build has not published yet, while it builds."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Building – wfscc preview</title>
</head>
<body>
<main id="wfscc-building">
<h1>Building the site</h1>
<p>This page reloads when the build has published it.</p>
</main>
{script}
</body>
</html>
"""
