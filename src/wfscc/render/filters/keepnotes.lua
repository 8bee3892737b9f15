-- keepnotes.lua: in the PDFs, a figure's Note, Base and Source lines stay on its page: the
-- figure and the paragraphs after it that start so go into one Typst block that does not break.
-- The one definition for both engines: the built-in engine's render.lua loads this file from
-- the package; Quarto's _filters/wfscc-post.lua loads the copy that `wfscc build` and `wfscc
-- prepare` write to _generated/wfscc-keepnotes.lua (wfscc.build.stage.copy_datatable_filter).
-- Each engine says what a float is in its own Typst, and how the block opens around it.

local M = {}

M.NOTE_STARTS = {"Note:", "Base:", "Source:"}

-- true for a paragraph that starts "Note:", "Base:" or "Source:"
function M.is_note(block)
  if block.t ~= "Para" then return false end
  local text = pandoc.utils.stringify(block)
  for _, start in ipairs(M.NOTE_STARTS) do
    if text:sub(1, #start) == start then return true end
  end
  return false
end

-- *blocks* with each float (`is_float(block)`) that note lines follow kept with them: the
-- blocks `open(float)` gives (which open `#block(breakable: false)[` and hold the float), the
-- note lines, then "]". A float without note lines, and every other block, is left as it was.
function M.keep(blocks, is_float, open)
  local out, i = pandoc.Blocks{}, 1
  while i <= #blocks do
    local j = i + 1
    if is_float(blocks[i]) then
      while j <= #blocks and M.is_note(blocks[j]) do j = j + 1 end
    end
    if j > i + 1 then
      out:extend(open(blocks[i]))
      for k = i + 1, j - 1 do out:insert(blocks[k]) end
      out:insert(pandoc.RawBlock("typst", "]"))
    else
      out:insert(blocks[i])
    end
    i = j
  end
  return out
end

return M
