"""What the site tests measure in the browser (a module of its own: conftest.py cannot be imported
by name). The script runs in the page and returns the layout faults a reader would see."""

from __future__ import annotations

from pathlib import Path

WIDTHS = {"desktop": 1280, "phone": 375}
NOT_CONTENT = {"pagefind"}  # generated bundles, not pages a reader opens

# Horizontal overflow: the document wider than the window, or any visible element reaching past
# either edge unless it sits in a container that scrolls or clips it (a table in its
# .table-wrap); a table's caption must fit in that box, to be read without scrolling. Overlap:
# two visible blocks of text or pictures (neither inside the other) covering each other by more
# than a fifth of the smaller, each clipped to its scrolling box.
LAYOUT_JS = r"""
() => {
  const doc = document.documentElement;
  const vw = doc.clientWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '') +
    ' "' + (el.textContent || el.getAttribute('alt') || '').trim().slice(0, 40) + '"';
  const shown = el => {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
    if (el.closest('.visually-hidden, .skip-link, [hidden]')) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const scroller = el => {
    for (let a = el.parentElement; a && a !== document.body && a !== doc; a = a.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return a;
    }
    return null;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right <= vw + 1 && r.left >= -1) continue;
    if (scroller(el)) continue;
    wide.push(`${name(el)} spans ${Math.round(r.left)}..${Math.round(r.right)}px`);
  }
  // text too long to wrap (a long word, a fact name) runs out of its box without widening it
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !shown(el) || scroller(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && (r.right > vw + 1 || r.left < -1)) {
        wide.push(`text "${node.textContent.trim().slice(0, 40)}" in ${name(el)} spans ` +
                  `${Math.round(r.left)}..${Math.round(r.right)}px`);
        break;
      }
    }
  }
  // a table's caption scrolls with it, but must be readable without scrolling
  const clipped = [];
  for (const el of document.body.querySelectorAll('caption')) {
    const box = scroller(el);
    if (!box || !shown(el)) continue;
    const c = box.getBoundingClientRect();
    const texts = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let right = 0;
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      if (!node.parentElement || !shown(node.parentElement)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) right = Math.max(right, r.right);
    }
    if (right > Math.min(c.right, vw) + 1) {
      clipped.push(`${name(el)} reaches ${Math.round(right - c.left)}px into a ` +
                   `${Math.round(c.width)}px scrolling box`);
    }
  }
  const blocks = 'h1,h2,h3,h4,h5,h6,p,li,dt,dd,figcaption,caption,img,svg,th,td,pre,' +
    'button,input,select,textarea,summary,label,legend,blockquote';
  const boxes = [];
  for (const el of document.body.querySelectorAll(blocks)) {
    if (!shown(el) || getComputedStyle(el).display === 'inline') continue;
    let r = el.getBoundingClientRect();
    let [l, t, ri, b] = [r.left, r.top, r.right, r.bottom];
    const box = scroller(el);
    if (box) {
      const c = box.getBoundingClientRect();
      [l, t, ri, b] = [Math.max(l, c.left), Math.max(t, c.top), Math.min(ri, c.right),
                       Math.min(b, c.bottom)];
      if (ri - l <= 1 || b - t <= 1) continue;
    }
    boxes.push({el, l, t, r: ri, b, area: (ri - l) * (b - t)});
  }
  boxes.sort((a, b) => a.t - b.t);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length; j++) {
      const c = boxes[j];
      if (c.t >= a.b) break;
      if (a.el.contains(c.el) || c.el.contains(a.el)) continue;
      const w = Math.min(a.r, c.r) - Math.max(a.l, c.l);
      const h = Math.min(a.b, c.b) - Math.max(a.t, c.t);
      if (w > 0 && h > 0 && w * h > 0.2 * Math.min(a.area, c.area) && w * h > 16) {
        overlaps.push(`${name(a.el)} and ${name(c.el)} overlap by ` +
                      `${Math.round(w)}x${Math.round(h)}px`);
      }
    }
  }
  return {scroll: doc.scrollWidth - vw, wide: wide.slice(0, 10), overlaps: overlaps.slice(0, 10),
          clipped: clipped.slice(0, 10)};
}
"""


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the site, relative to its root ("profiles/P01.html")."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not NOT_CONTENT & set(p.relative_to(site).parts)
    )


def shot_name(page: str, label: str) -> str:
    """The screenshot's file name: "site-phone-profiles-P01.png"."""
    return f"site-{label}-{page.removesuffix('.html').replace('/', '-')}.png"
