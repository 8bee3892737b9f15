-- wfscc-trace.lua (Quarto, HTML only): "Show where numbers come from" on Quarto's pages, as the
-- built-in engine's template has it. The marks (`<span data-fact>`) come with `_variables.yml`;
-- this adds the toggle under the page's title, the panels' stylesheet (wfscc-quarto.css, as a
-- page dependency) and, at the end of the body, the panel data and script that the build or
-- `wfscc finish` writes into the site's `assets/` (trace-data.js, trace.js). Links are made
-- relative to the site's root: `quarto.project.offset`, or none for a page that says
-- `wfscc-at-site-root: true` (the summary, copied to the root by `wfscc finish`). Links to the site's
-- downloads (`data/...`, `facts.json`, `notebooks/...`), which the pages write as the built-in
-- engine's root pages see them, are made relative to the root the same way.

local DOWNLOADS = {"^data/", "^notebooks/", "^facts%.json", "^report%.pdf", "^summary%.pdf",
  "^report%.docx", "^summary%.docx"}

local TOGGLE = '<p class="trace-control"><button type="button" id="trace-toggle" '
  .. 'class="trace-toggle" aria-pressed="false" hidden>Show where numbers come from</button></p>'

function Pandoc(doc)
  if not quarto.doc.is_format("html") then return nil end
  local root = quarto.project.offset or "."
  if doc.meta["wfscc-at-site-root"] then root = "" end
  root = (root == "" or root == ".") and "" or (root:gsub("/*$", "") .. "/")
  -- the Number check page's place on the site, for the panels' links to it
  local check = doc.meta["wfscc-number-check"]
  check = check and pandoc.utils.stringify(check) or "report/number-check.html"
  quarto.doc.add_html_dependency({
    name = "wfscc-quarto", version = "1", stylesheets = {"wfscc-quarto.css"},
  })
  quarto.doc.include_text("after-body",
    '<script src="' .. root .. 'assets/trace-data.js"></script>\n'
    .. '<script src="' .. root .. 'assets/trace.js" data-number-check="' .. check
    .. '"></script>')
  if root ~= "" then
    doc.blocks = doc.blocks:walk({Link = function(link)
      for _, pattern in ipairs(DOWNLOADS) do
        if link.target:match(pattern) then link.target = root .. link.target; return link end
      end
    end})
  end
  local at = 1
  if doc.blocks[1] and doc.blocks[1].t == "Header" and doc.blocks[1].level == 1 then at = 2 end
  doc.blocks:insert(at, pandoc.RawBlock("html", TOGGLE))
  return doc
end
