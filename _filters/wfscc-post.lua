-- wfscc-post.lua (Quarto, at: post-render). In the review copy (docx), a chart's `fig-alt` (its
-- shortcodes expanded by now) becomes the picture's description, as in the built-in engine's
-- docx; Quarto's docx leaves it empty. In HTML: each `.wfscc-data` div left by
-- wfscc-pre.lua becomes the "Show the data" panel the built-in engine draws under a chart: the
-- table in a named, scrollable region and a link to download the CSV, named after the figure
-- ("for Figure 2.1") or, when it has no number, after its caption. A page whose front matter
-- numbers its figures and tables (`wfscc-numbers: {fig-p02-starts: A.4}`, written by the build
-- for the LA profiles, numbered through their annex as in the built-in engine) shows those
-- numbers in their captions and cross-references: Quarto numbers each page of a site from 1.

local function esc(s)
  return (s:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function hidden(text)
  return text ~= "" and ('<span class="visually-hidden">' .. esc(text) .. "</span>") or ""
end

local function docx_alt(doc)
  return doc:walk({Image = function(img)
    local alt = img.attributes["fig-alt"]
    if alt and alt ~= "" then
      img.caption = pandoc.Inlines(alt)
      return img
    end
  end})
end

-- In report.pdf each table is written by pandoc's own Typst writer and then calls the report
-- template's wfscc-table (report/_report-typst/typst-template.typ, the built-in engine's rules)
-- instead of table: every column at least as wide as its widest word. The summary (rendered
-- with `--profile summary`, `wfscc-at-site-root`) has its own partials and keeps Typst's table.
local function typst_tables(doc)
  return doc:walk({Table = function(tbl)
    local out = pandoc.write(pandoc.Pandoc({tbl}), "typst")
    out = out:gsub("#table%(", "#wfscc-table(", 1)
    return pandoc.RawBlock("typst", out)
  end})
end

-- In report.pdf a figure's Note, Base and Source lines stay on its page, by the built-in
-- engine's rule (render/filters/keepnotes.lua, which `wfscc build` and `wfscc prepare` copy from
-- the package to _generated/wfscc-keepnotes.lua): Quarto's figure float (a `quarto-scaffold`
-- div here) and the paragraphs after it go into one block that does not break. (Table floats
-- are left to break across pages.)
local keepnotes
local function keep_rule()
  if not keepnotes then
    local root = quarto.project and quarto.project.directory or "."
    local path = pandoc.path.join({root, "_generated", "wfscc-keepnotes.lua"})
    local fh = io.open(path, "r")
    if not fh then
      error(path .. " is missing: it is written by `wfscc prepare` (the project's pre-render"
        .. " step) and by `wfscc build`; run one of them")
    end
    fh:close()
    keepnotes = dofile(path)
  end
  return keepnotes
end

local function is_figure(block)
  if block.t ~= "Div" or not block.classes:includes("quarto-scaffold") then return false end
  local has_table = false
  block:walk({Table = function() has_table = true end, RawBlock = function(r)
    if r.text:match("#wfscc%-table%(") or r.text:match("kind: \"quarto%-float%-tbl\"") then
      has_table = true
    end
  end})
  return not has_table
end

local function open_figure(block)
  return {pandoc.RawBlock("typst", "#block(breakable: false)["), block}
end

local function keep_notes(blocks)
  return keep_rule().keep(blocks, is_figure, open_figure)
end

-- *node* with the number after the first no-break space of its text ("Figure", " ", "1")
-- made *number*: Quarto's caption prefix and cross-reference text
local function with_number(node, number)
  local after, done = false, false
  return node:walk({Str = function(s)
    if done then return nil end
    if after then
      done = true
      return pandoc.Str((s.text:gsub("^[%w%.]+", number, 1)))
    end
    local head, tail = s.text:match("^(.-\194\160)[%w%.]+(.*)$")
    if head then
      done = true
      return pandoc.Str(head .. number .. tail)
    end
    after = s.text == "\194\160"
  end})
end

local function renumber(doc)
  local given = doc.meta["wfscc-numbers"]
  if type(given) ~= "table" then return doc end
  local numbers = {}
  for id, value in pairs(given) do numbers[id] = pandoc.utils.stringify(value) end
  doc.blocks = doc.blocks:walk({
    Div = function(div)
      local number = numbers[div.identifier]
      if number then return with_number(div, number) end
    end,
    Link = function(link)
      local number = link.classes:includes("quarto-xref") and numbers[link.target:match("#(.+)$") or ""]
      if number then return with_number(link, number) end
    end,
  })
  return doc
end

function Pandoc(doc)
  if quarto.doc.is_format("docx") then return docx_alt(doc) end
  if quarto.doc.is_format("typst") and not doc.meta["wfscc-at-site-root"] then
    return typst_tables(doc):walk({Blocks = keep_notes})
  end
  if not quarto.doc.is_format("html") then return nil end
  doc = renumber(doc)
  local labels, regions = {}, {}
  doc.blocks = doc.blocks:walk({Div = function(div)
    if not div.identifier:match("^fig%-") then return nil end
    if not labels[div.identifier] then
      local text = pandoc.utils.stringify(div):gsub("\194\160", " ")
      labels[div.identifier] = text:match("(Figure%s+[%w%.]+):") or ""
    end
    -- Quarto copies the image's attributes onto its float (alt with its shortcode unexpanded)
    div.attributes.alt = nil
    div.attributes["wfscc-data"] = nil
    return div
  end})
  local function unique(name)
    local base, n = name, 1
    while regions[name] do n = n + 1; name = base .. " (" .. n .. ")" end
    regions[name] = true
    return name
  end
  doc.blocks = doc.blocks:walk({Div = function(div)
    if not div.classes:includes("wfscc-data") then return nil end
    local label = labels[div.attributes.figure or ""] or ""
    local caption = div.attributes.caption or ""
    local what = label ~= "" and (" for " .. label) or (caption ~= "" and (" for: " .. caption) or "")
    local link = label ~= "" and ("Download the data" .. esc(what) .. " (CSV)")
      or ("Download the data (CSV)" .. hidden(what))
    local open = '<details class="figure-data"><summary>Show the data' .. hidden(what)
      .. '</summary>\n<div class="table-wrap" role="region" tabindex="0" aria-label="'
      .. esc(unique("Data" .. what)) .. '">'
    local close = '</div>\n<p><a href="' .. esc(div.attributes.csv) .. '" download>' .. link
      .. "</a></p>\n</details>"
    local out = pandoc.Blocks{pandoc.RawBlock("html", open)}
    out:extend(div.content)
    out:insert(pandoc.RawBlock("html", close))
    return out
  end})
  return doc
end
