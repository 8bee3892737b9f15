-- datatable.lua: a chart's data (its CSV) as the "Show the data" table, in the GOV.UK table
-- style: a column whose every value is a number (or a withheld "[c]", or empty) is right-aligned,
-- header included, its thousands marked with commas ("2,075"); any other column (the labels) is
-- left-aligned. Pandoc's CSV reader leaves
-- every column at its default alignment, which the page's CSS draws left (built-in engine) or as
-- the theme likes (Quarto).
--
-- One source for both engines: render.lua (the built-in engine) loads it from this package;
-- Quarto's _filters/wfscc-pre.lua loads the copy `wfscc build` and `wfscc prepare` write to the
-- project's _generated/ folder. Returns a table of functions (dofile).

local M = {}

-- "2075", "1,905", "-3.5", "61.7%", "−2" (a minus sign) are numbers; "[c]" and "" are a number's
-- place: a withheld or missing value, which takes its column's alignment.
local function numeric(text)
  text = text:gsub("\226\136\146", "-")  -- U+2212 minus
  return text:match("^[-+]?%d[%d,]*%.?%d*%%?$") ~= nil or text:match("^%.%d+$") ~= nil
end

local function placeholder(text)
  return text == "" or text:match("^%[%a%]$") ~= nil
end

-- the alignment of each column of *tbl* (a pandoc Table) from the text of its body cells
function M.alignments(tbl)
  local ncols = #tbl.colspecs
  local seen, other = {}, {}
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for i, cell in ipairs(row.cells) do
        local text = pandoc.utils.stringify(cell.contents):gsub("^%s+", ""):gsub("%s+$", "")
        if numeric(text) then seen[i] = true
        elseif not placeholder(text) then other[i] = true end
      end
    end
  end
  local aligns = {}
  for i = 1, ncols do
    aligns[i] = (seen[i] and not other[i]) and "AlignRight" or "AlignLeft"
  end
  return aligns
end

-- "2075" as "2,075" (GOV.UK style: a comma between thousands); anything else as it is
function M.thousands(text)
  local sign = text:match("^\226\136\146") or text:match("^[-+]") or ""
  local digits, rest = text:sub(#sign + 1):match("^(%d%d%d%d+)(%.?%d*)$")
  if not digits then return text end
  local grouped = digits:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return sign .. grouped .. rest
end

-- *tbl* with each column, and each of its cells, aligned as :func:`alignments` says; whole
-- numbers of four digits or more in a numeric column get their thousands commas
function M.align(tbl)
  local aligns = M.alignments(tbl)
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for i, cell in ipairs(row.cells) do
        local text = pandoc.utils.stringify(cell.contents)
        local shown = aligns[i] == "AlignRight" and M.thousands(text) or text
        if shown ~= text then cell.contents = {pandoc.Plain({pandoc.Str(shown)})} end
      end
    end
  end
  for i, spec in ipairs(tbl.colspecs) do
    tbl.colspecs[i] = {aligns[i], spec[2]}
  end
  local function rows(list)
    for _, row in ipairs(list) do
      for i, cell in ipairs(row.cells) do cell.alignment = aligns[i] or "AlignLeft" end
    end
  end
  rows(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do rows(body.head); rows(body.body) end
  rows(tbl.foot.rows)
  return tbl
end

local NBSP = "\194\160"
local NUMBER_WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
  "nine"}

-- *text* with a number and "per cent" (or "percentage points") joined by non-breaking spaces,
-- as wfscc.housestyle.keep_together joins them in the prose: a header such as "Lower limit of
-- 95 per cent interval" never wraps after "95"
function M.keep_together(text)
  local function join(unit)
    local glued = unit:gsub(" ", NBSP)
    text = text:gsub("(%d) " .. unit, "%1" .. NBSP .. glued)
    for _, word in ipairs(NUMBER_WORDS) do
      text = text:gsub("(%f[%a]" .. word .. ") " .. unit, "%1" .. NBSP .. glued)
    end
  end
  join("per cent")
  join("percentage points")
  join("percentage point")
  return text
end

-- the blocks of CSV *text*, its table aligned
function M.read(text)
  return pandoc.read(M.keep_together(text), "csv").blocks:walk({Table = M.align})
end

return M
