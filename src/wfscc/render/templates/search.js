/* Wire Pagefind's search UI into <div id="search">. Pagefind loads its index with fetch() and
   dynamic import(), which browsers block for pages opened from file://, so there we say how to
   serve the site instead of showing a box that cannot work. */
(function () {
  var el = document.getElementById("search");
  if (!el) { return; }
  if (window.location.protocol === "file:") {
    el.innerHTML = '<p class="search-note">Search works when the site is served over HTTP, ' +
      'for example with <code>python -m http.server</code> in the site folder.</p>';
    return;
  }
  if (typeof PagefindUI === "undefined") { return; }
  new PagefindUI({ element: "#search", showSubResults: true, showImages: false,
                   translations: { placeholder: "Search the report" } });
  // Label Pagefind's input with the visible heading above it, not only its title attribute.
  function label() {
    var input = el.querySelector("input");
    if (input) { input.setAttribute("aria-labelledby", "search-label"); }
    return !!input;
  }
  if (!label()) {
    new MutationObserver(function (_, observer) {
      if (label()) { observer.disconnect(); }
    }).observe(el, { childList: true, subtree: true });
  }
})();
