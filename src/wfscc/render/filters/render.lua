-- render.lua: turn the engine's neutral syntax tree into HTML or Typst.
-- The engine has already numbered figures, tables and sections and resolved cross-references
-- to links "wfscc:PAGE#ID". Configuration comes as JSON in the metadata field wfscc-config:
--   {target = "html"|"typst", root = "../", page = "profiles/P01.html", anchors = {PAGE = ID}}

local cfg = {target = "html", root = "", page = "", anchors = {}}
local function beside(name)
  return dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), name}))
end
-- a chart's CSV as its "Show the data" table, aligned (shared with Quarto's wfscc-pre.lua)
local datatable = beside("datatable.lua")
-- a figure's Note, Base and Source lines kept on its page (shared with Quarto's wfscc-post.lua)
local keepnotes = beside("keepnotes.lua")
local TITLES = {note = "Note", tip = "Tip", warning = "Warning", important = "Important",
                caution = "Caution"}

local function esc_html(s)
  return (s:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function esc_typst_str(s)
  return '"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", " ") .. '"'
end

local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

local function write(blocks, fmt)
  return trim(pandoc.write(pandoc.Pandoc(blocks), fmt))
end

local function url(src)
  if cfg.target == "html" and src:match("^assets/") then return cfg.root .. src end
  return src
end

local function Link(link)
  local page, frag = link.target:match("^wfscc:([^#]*)#?(.*)$")
  if not page then return nil end
  if cfg.target == "typst" then
    -- a page that is not in this PDF (a site-only page): the link's text, no link
    if cfg.anchors[page] == nil then return link.content end
    link.target = "#" .. (frag ~= "" and frag or (cfg.anchors[page] or ""))
  elseif page == cfg.page then
    link.target = "#" .. (frag ~= "" and frag or "main")
  else
    link.target = cfg.root .. page .. (frag ~= "" and ("#" .. frag) or "")
  end
  return link
end

local function first_image(blocks)
  local found
  blocks:walk({Image = function(img) found = found or img end})
  return found
end

local function typst_image(img, width)
  local args = esc_typst_str(img.src) .. ", alt: " .. esc_typst_str(img.attributes.alt or "")
  if width then args = args .. ", width: " .. width end
  return "image(" .. args .. ")"
end

-- Names of the scrollable table regions already on this page: each region needs a unique name
-- (axe: landmark-unique), and a table without a caption is named after its columns.
local region_names = {}

local function unique_region(name)
  local base, n = name, 1
  while region_names[name] do
    n = n + 1
    name = base .. " (" .. n .. ")"
  end
  region_names[name] = true
  return name
end

-- "Show the data" under a chart: the table and a CSV link, named after the figure ("Figure 2.1")
-- or, for a figure without a number, after its caption, so that each panel, region and link on
-- a page has a name of its own. Extra words for screen readers go after the visible text, so the
-- accessible name starts with what is seen (WCAG 2.5.3).
local function data_details(img, label, caption_text)
  local csv_path = img.attributes["wfscc-data"]
  if not csv_path then return "" end
  local fh = assert(io.open(csv_path, "r"))
  local table_html = write(datatable.read(fh:read("a")), "html")
  fh:close()
  local what = label ~= "" and (" for " .. label)
    or (caption_text ~= "" and (" for: " .. caption_text) or "")
  local function hidden(text)
    return text ~= "" and ('<span class="visually-hidden">' .. esc_html(text) .. "</span>") or ""
  end
  local link = label ~= "" and ("Download the data" .. esc_html(what) .. " (CSV)")
    or ("Download the data (CSV)" .. hidden(what))
  return '\n<details class="figure-data"><summary>Show the data' .. hidden(what)
    .. '</summary>\n<div class="table-wrap" role="region" tabindex="0" aria-label="'
    .. esc_html(unique_region("Data" .. what)) .. '">\n' .. table_html
    .. '\n</div>\n<p><a href="' .. esc_html(url(csv_path)) .. '" download>' .. link
    .. "</a></p>\n</details>"
end

local function Figure(fig)
  local img = first_image(fig.content)
  if not img then return nil end
  local caption = fig.caption.long:walk({Link = Link})
  local label = ""
  caption:walk({Span = function(s)
    if s.classes:includes("figure-label") then label = pandoc.utils.stringify(s):gsub(":$", "") end
  end})
  if cfg.target == "typst" then
    local out = "#figure(" .. typst_image(img, "100%")
    if #caption > 0 then out = out .. ", caption: [" .. write(caption, "typst") .. "]" end
    out = out .. ")"
    if fig.identifier ~= "" then out = out .. "\n<" .. fig.identifier .. ">" end
    return pandoc.RawBlock("typst", out)
  end
  local id = fig.identifier ~= "" and (' id="' .. fig.identifier .. '"') or ""
  local html = "<figure" .. id .. ' class="figure">\n<img src="' .. esc_html(url(img.src))
    .. '" alt="' .. esc_html(img.attributes.alt or "") .. '">'
  if #caption > 0 then html = html .. "\n<figcaption>" .. write(caption, "html") .. "</figcaption>" end
  local details = data_details(img, label, pandoc.utils.stringify(caption))
  return pandoc.RawBlock("html", html .. details .. "\n</figure>")
end

local function Image(img)
  local alt = img.attributes.alt or pandoc.utils.stringify(img.caption)
  if cfg.target == "typst" then return pandoc.RawInline("typst", "#box(" .. typst_image(img) .. ")") end
  img.src = url(img.src)
  img.caption = {pandoc.Str(alt)}
  img.attributes.alt = nil
  img.attributes["wfscc-data"] = nil
  return img
end

local function table_name(tbl)
  local name = pandoc.utils.stringify(tbl.caption.long)
  if name == "" then
    local columns = {}
    local head = tbl.head.rows[1]
    if head then
      for _, cell in ipairs(head.cells) do
        local text = pandoc.utils.stringify(cell.contents)
        if text ~= "" then table.insert(columns, text) end
      end
    end
    name = #columns > 0 and ("Table with columns " .. table.concat(columns, ", ")) or "Table"
  end
  return unique_region(name)
end

-- A table of at most this many rows is kept on one page in the PDFs.
local SHORT_TABLE_ROWS = 12

local function Table(tbl)
  if cfg.target == "typst" then
    -- pandoc's own Typst, calling the template's wfscc-table (templates/tables.typ), which gives
    -- every column at least the width of its widest word
    local out = write({tbl:walk({Link = Link, Image = Image})}, "typst")
    out = out:gsub("#table%(", "#wfscc-table(", 1)
    -- a short table (caption and all) moves to the next page whole; a long one breaks, its
    -- header repeated
    local rows = #tbl.head.rows
    for _, body in ipairs(tbl.bodies) do rows = rows + #body.body end
    if rows <= SHORT_TABLE_ROWS then out = "#block(breakable: false)[\n" .. out .. "\n]" end
    return pandoc.RawBlock("typst", out)
  end
  if cfg.target ~= "html" then return nil end
  local name = table_name(tbl)
  return {pandoc.RawBlock("html", '<div class="table-wrap" role="region" tabindex="0" aria-label="'
    .. esc_html(name) .. '">'), tbl, pandoc.RawBlock("html", "</div>")}
end

local function Div(div)
  local kind = nil
  for _, c in ipairs(div.classes) do kind = kind or c:match("^callout%-(%a+)$") end
  if not kind or not TITLES[kind] then return nil end
  local content = div.content
  local title = div.attributes.title and pandoc.Inlines(div.attributes.title) or nil
  if not title and content[1] and content[1].t == "Header" then
    title = content[1].content
    content = pandoc.Blocks({table.unpack(content, 2)})
  end
  title = title or pandoc.Inlines(TITLES[kind])
  if cfg.target == "typst" then
    local open = '#callout(kind: "' .. kind .. '", title: [' .. write({pandoc.Plain(title)}, "typst")
      .. "])["
    return {pandoc.RawBlock("typst", open), table.unpack(content), pandoc.RawBlock("typst", "]")}
  end
  local open = '<div class="callout callout-' .. kind .. '" role="note">\n<p class="callout-title">'
    .. write({pandoc.Plain(title)}, "html") .. "</p>"
  return {pandoc.RawBlock("html", open), table.unpack(content), pandoc.RawBlock("html", "</div>")}
end

-- In the PDFs, the Note, Base and Source lines under a figure or a short table stay on its page
-- (keepnotes.lua): the figure (or the table's unbreakable block) and those paragraphs go into
-- one block that does not break. (A long table breaks across pages; its lines follow its last
-- rows.)
local function is_float(b)
  return b.t == "RawBlock" and b.format == "typst"
    and (b.text:match("^#figure%(") or b.text:match("^#block%(breakable: false%)%[\n"))
end

local function open_float(b)
  local inner = b.text:match("^#block%(breakable: false%)%[\n(.*)\n%]$") or b.text
  return {pandoc.RawBlock("typst", "#block(breakable: false)[\n" .. inner)}
end

local function keep_notes(blocks)
  if cfg.target ~= "typst" then return nil end
  return keepnotes.keep(blocks, is_float, open_float)
end

local function Meta(meta)
  if meta["wfscc-config"] then
    cfg = pandoc.json.decode(pandoc.utils.stringify(meta["wfscc-config"]), false)
    meta["wfscc-config"] = nil
  end
  return meta
end

return {
  {Meta = Meta},
  {Figure = Figure, Table = Table, Div = Div},
  {Image = Image, Link = Link},
  {Blocks = keep_notes},
}
