-- wfscc-pre.lua (Quarto, at: pre-ast): the two conventions of the .qmd subset that Quarto does
-- not know, made into what it does know, so that both engines show the same content.
--  * ::: {.wfscc-nbtable #tbl-x tbl-cap="..."}: a table output of an executed notebook (markdown
--    or raw HTML) becomes a plain Table carrying the id and the caption; a div without a table
--    (a notebook's markdown output) becomes its content.
--  * ![..](chart.svg){#fig-x fig-alt=".." wfscc-data="chart.csv"}: the chart's data follows the
--    figure as a `.wfscc-data` div holding the table; wfscc-post.lua turns it into "Show the
--    data" (HTML only; other formats show the chart alone, as the built-in engine does).
--  * <!-- wfscc-generated: report/x.qmd --> ... <!-- /wfscc-generated -->: a committed placeholder
--    (Quarto reads every chapter and include before the pre-render step can write them) whose
--    blocks are replaced by _generated/report/x.qmd, written by `wfscc prepare`, when it exists.
--    A page's placeholder heading is its title on Quarto's site, where Quarto takes it out of
--    the page: the generated page's own level-1 heading is then left out (not shown twice).
--    `wfscc build` overwrites the placeholders in its staged copy, so neither engine shows them.
--  * a chapter with `wfscc-site-only: true` in its front matter (the Number check) is on the
--    site only: the book's single-file formats (report.pdf, report.docx) leave it out, as the
--    built-in engine does; report.docx and summary.docx (the review copy) begin with the
--    notice that they are not the publication (the built-in engine's words, render/_docx.py).

local function html_table(blocks)
  local found
  for _, b in ipairs(blocks) do
    local inner = b
    if b.t == "RawBlock" and b.format == "html" then
      inner = pandoc.Div(pandoc.read(b.text, "html").blocks)
    end
    if b.t == "Table" then found = found or b end
    if inner.t == "Div" then inner:walk({Table = function(t) found = found or t end}) end
  end
  return found
end

local function nbtable(div)
  local tbl = html_table(div.content)
  if not tbl then return div.content end
  tbl.attr = pandoc.Attr(div.identifier)
  local cap = div.attributes["tbl-cap"]
  if cap and cap ~= "" then
    tbl.caption.long = pandoc.Blocks{pandoc.Plain(pandoc.read(cap, "markdown").blocks[1].content)}
  end
  return tbl
end

local function here(path)
  if pandoc.path.is_absolute(path) or not quarto.doc.input_file then return path end
  return pandoc.path.join({pandoc.path.directory(quarto.doc.input_file), path})
end

-- the block without wfscc-data on its chart, and the data div to put after it (nil when none)
-- the built-in engine's reader of a chart's CSV (numbers right-aligned, labels left), which
-- `wfscc build` and `wfscc prepare` copy from the package to _generated/wfscc-datatable.lua
local datatable
local function read_data(text)
  if not datatable then
    local root = quarto.project and quarto.project.directory or "."
    local path = pandoc.path.join({root, "_generated", "wfscc-datatable.lua"})
    local fh = io.open(path, "r")
    if not fh then
      error(path .. " is missing: it is written by `wfscc prepare` (the project's pre-render"
        .. " step) and by `wfscc build`; run one of them")
    end
    fh:close()
    datatable = dofile(path)
  end
  return datatable.read(text)
end

local function data_div(block)
  local marker
  block = block:walk({Image = function(img)
    local csv = img.attributes["wfscc-data"]
    if not csv then return nil end
    img.attributes["wfscc-data"] = nil
    if marker or not quarto.doc.is_format("html") then return img end
    local fh = assert(io.open(here(csv), "r"))
    local blocks = read_data(fh:read("a"))
    fh:close()
    local caption = pandoc.utils.stringify(img.caption)
    marker = pandoc.Div(blocks, pandoc.Attr("", {"wfscc-data"},
      {csv = csv, figure = img.identifier, caption = caption}))
    return img
  end})
  return block, marker
end

local function generated(name)
  local root = quarto.project and quarto.project.directory
  if not root then return nil end
  local fh = io.open(pandoc.path.join({root, "_generated", name}), "r")
  if not fh then return nil end
  local text = fh:read("a")
  fh:close()
  return pandoc.read(text, "markdown").blocks
end

local function closing(b)
  return b.t == "RawBlock" and b.format == "html"
    and b.text:match("^<!%-%-%s*/wfscc%-generated%s*%-%->") ~= nil
end

-- *made* (a generated page's blocks) without its level-1 heading when the placeholder that
-- starts at blocks[at] has none left: Quarto made that heading the page's title
local function untitled(made, blocks, at)
  for i = at + 1, #blocks do
    if closing(blocks[i]) then break end
    if blocks[i].t == "Header" and blocks[i].level == 1 then return made end
  end
  local out, dropped = pandoc.Blocks{}, false
  for _, b in ipairs(made) do
    if not dropped and b.t == "Header" and b.level == 1 then dropped = true else out:insert(b) end
  end
  return out
end

local function Blocks(blocks)
  local out = pandoc.Blocks{}
  local skipping = false
  for i, b in ipairs(blocks) do
    local raw = b.t == "RawBlock" and b.format == "html" and b.text or ""
    local name = raw:match("^<!%-%-%s*wfscc%-generated:%s*(%S+)%s*%-%->")
    if name then
      local made = generated(name)
      if made then out:extend(Blocks(untitled(made, blocks, i))); skipping = true end
    elseif closing(b) then
      skipping = false
    elseif skipping then
      -- the placeholder's own blocks, replaced
    elseif b.t == "Div" and b.classes:includes("wfscc-nbtable") then
      local made = nbtable(b)
      if made.t == "Table" then out:insert(made) else out:extend(made) end
    else
      local marker = nil
      if b.t == "Para" or b.t == "Figure" then  -- not the Plain inside a Figure
        b, marker = data_div(b)
        -- the figure's id sits on the image until Quarto makes it a float
        if marker and marker.attributes.figure == "" and b.t == "Figure" then
          marker.attributes.figure = b.identifier
        end
      end
      out:insert(b)
      if marker then out:insert(marker) end
    end
  end
  return out
end

-- true when the book chapter *file* (relative to the project) says `wfscc-site-only: true`
local function site_only(file)
  local root = quarto.project and quarto.project.directory
  local fh = file and root and io.open(pandoc.path.join({root, file}), "r")
  if not fh then return false end
  local text = fh:read("a")
  fh:close()
  local front = text:match("^%-%-%-\r?\n(.-)\r?\n%-%-%-")
  return front ~= nil and ("\n" .. front):match("\nwfscc%-site%-only:%s*true") ~= nil
end

local NOTICE = "Review copy for comments. This is not the publication: the published report "
  .. "is the PDF. Numbers, tables and figures come from the same build."

-- the book's chapters in one document (PDF, docx): drop those that are on the site only; each
-- chapter starts at Quarto's `<!-- quarto-file-metadata: BASE64 -->` marker. The part named by
-- `wfscc: build-part:` ("About this build") is on the site only too, its part page and every
-- chapter in it (the built-in engine's PDFs carry one line of provenance instead).
local function file_marker(b)
  local raw = b.t == "RawBlock" and b.format == "html" and b.text or ""
  local meta = raw:match("^<!%-%- quarto%-file%-metadata: ([^ ]+) %-%->$")
  if not meta then return nil end
  local ok, file = pcall(function() return quarto.json.decode(quarto.base64.decode(meta)) end)
  return ok and file or nil
end

local function SingleFile(doc)
  if quarto.doc.is_format("html") then return nil end
  local wfscc = doc.meta.wfscc
  local build_part = wfscc and wfscc["build-part"] and pandoc.utils.stringify(wfscc["build-part"])
  local out, skipping, build_depth = pandoc.Blocks{}, false, nil
  for _, b in ipairs(doc.blocks) do
    if b.t == "Div" and b.classes:includes("quarto-book-part") then
      -- a part's divider (Quarto wraps its marker and heading in this div)
      local depth, title = 0, ""
      for _, c in ipairs(b.content) do
        local file = file_marker(c)
        if file and file.bookItemDepth then depth = tonumber(file.bookItemDepth) or 0 end
        if c.t == "Header" then title = pandoc.utils.stringify(c.content) end
      end
      if build_depth and depth <= build_depth then build_depth = nil end
      if build_part and title == build_part then build_depth = depth end
      skipping = build_depth ~= nil
    else
      local file = file_marker(b)
      if file and file.bookItemFile then
        local depth = tonumber(file.bookItemDepth) or 0
        if build_depth and depth <= build_depth then build_depth = nil end
        skipping = build_depth ~= nil or site_only(file.bookItemFile)
      end
    end
    if not skipping then out:insert(b) end
  end
  if quarto.doc.is_format("docx") then
    out:insert(1, pandoc.Para({pandoc.Strong(pandoc.Inlines(NOTICE))}))
  end
  doc.blocks = out
  return doc
end

return {{Pandoc = SingleFile}, {Blocks = Blocks}}
