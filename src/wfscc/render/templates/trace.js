/* "Show where numbers come from": every <span data-fact="name"> on the page (a fact the page
   cites) gets, when the toggle is on, a "Source" disclosure button that opens a small panel
   with the fact's name, its value after disclosure control, base, interval, wording rule, the
   function that computed it and a link to its entry on the Number check page. The data comes
   from assets/trace-data.js (window.wfsccFacts). Off by default; the choice is kept in
   localStorage. With it off, readers see plain text. */
(function () {
  var toggle = document.getElementById("trace-toggle");
  var facts = window.wfsccFacts;
  if (!toggle) { return; }
  if (!facts) { toggle.hidden = true; return; }
  var script = document.currentScript;
  var root = script ? script.src.replace(/assets\/trace\.js.*$/, "") : "";
  // the Number check page, from the site's root (Quarto's site keeps it under report/)
  var CHECK = (script && script.getAttribute("data-number-check")) || "number-check.html";
  var KEY = "wfscc-trace";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function row(panel, label, value) {
    if (value === null || value === undefined || value === "") { return; }
    var line = el("span", "fact-row");
    line.appendChild(el("span", "fact-label", label + ": "));
    line.appendChild(el("span", "fact-value", String(value)));
    panel.appendChild(line);
  }

  function add(span, n) {
    var name = span.getAttribute("data-fact");
    var fact = facts[name];
    if (!fact) { return; }
    var id = "fact-panel-" + n;
    var button = el("button", "fact-trace");
    button.type = "button";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", id);
    button.setAttribute("data-fact-button", name);
    button.appendChild(document.createTextNode("Source"));
    button.appendChild(el("span", "visually-hidden", " of \u201c" + span.textContent + "\u201d"));
    var panel = el("span", "fact-panel");
    panel.id = id;
    panel.hidden = true;
    panel.setAttribute("data-fact-panel", name);
    row(panel, "Fact", name);
    row(panel, "Value", fact.shown);
    row(panel, "Base", fact.base);
    row(panel, "Interval", fact.interval);
    row(panel, "Wording rule", fact.rule);
    row(panel, "Computed by", fact.source);
    row(panel, "Computed from", fact.inputs);
    row(panel, "In the PDF", fact.pdf_pages);
    var link = el("a", "fact-link", "Entry on the Number check page");
    link.href = root + CHECK + "#fact-" + name;
    var line = el("span", "fact-row");
    line.appendChild(link);
    panel.appendChild(line);
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      panel.hidden = !open;
    });
    span.after(button, panel);
  }

  function set(on) {
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    document.querySelectorAll(".fact-trace, .fact-panel").forEach(function (node) {
      node.remove();
    });
    document.documentElement.classList.toggle("trace-on", on);
    if (on) {
      var spans = document.querySelectorAll("main [data-fact]");
      for (var i = 0; i < spans.length; i++) { add(spans[i], i + 1); }
    }
  }

  var stored = null;
  try { stored = window.localStorage.getItem(KEY); } catch (e) { stored = null; }
  toggle.hidden = false;
  set(stored === "on");
  toggle.addEventListener("click", function () {
    var on = toggle.getAttribute("aria-pressed") !== "true";
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode */ }
    set(on);
  });
})();
