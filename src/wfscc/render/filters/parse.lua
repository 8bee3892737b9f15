-- parse.lua: run while reading; normalises tables so the engine sees one shape.
--  * ::: {.wfscc-nbtable #tbl-x tbl-cap="..."} (a notebook table output, markdown or raw HTML)
--  * ::: {#tbl-x} holding a table and a caption paragraph (Quarto's div syntax)
-- both become a plain Table carrying the id and the caption.

local function first_table(blocks)
  for i, b in ipairs(blocks) do
    if b.t == "Table" then return b, i end
  end
end

-- The first table anywhere in raw HTML blocks (pandas wraps its table in a <div>).
local function html_table(blocks)
  local found
  for _, b in ipairs(blocks) do
    local inner = b
    if b.t == "RawBlock" and b.format == "html" then inner = pandoc.Div(pandoc.read(b.text, "html").blocks) end
    if b.t == "Table" then found = found or b end
    if inner.t == "Div" then
      inner:walk({Table = function(t) found = found or t end})
    end
  end
  return found
end

local function set_caption(tbl, cap)
  tbl.caption.long = pandoc.Blocks{pandoc.Plain(pandoc.read(cap, "markdown").blocks[1].content)}
end

function Div(div)
  if div.classes:includes("wfscc-nbtable") then
    local tbl = html_table(div.content)
    if not tbl then return div.content end
    tbl.attr = pandoc.Attr(div.identifier)
    local cap = div.attributes["tbl-cap"]
    if cap and cap ~= "" then set_caption(tbl, cap) end
    return tbl
  end
  if not div.identifier:match("^tbl%-") then return nil end
  local blocks = div.content
  local tbl, index = first_table(blocks)
  if not tbl then return nil end
  tbl.identifier = div.identifier
  local last = blocks[#blocks]
  if #tbl.caption.long == 0 and last and last.t == "Para" and #blocks > index then
    tbl.caption.long = pandoc.Blocks{pandoc.Plain(last.content)}
    blocks:remove(#blocks)
  end
  blocks[index] = tbl
  return blocks
end

-- A lone image with a fig- id but no caption is still a (numbered) figure.
function Para(para)
  if #para.content == 1 and para.content[1].t == "Image" then
    local img = para.content[1]
    if img.identifier:match("^fig%-") then
      local id = img.identifier
      img.identifier = ""
      return pandoc.Figure(pandoc.Plain{img}, {}, pandoc.Attr(id))
    end
  end
end
