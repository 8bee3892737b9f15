-- batch.lua: many documents through pandoc in one process (`pandoc lua batch.lua`), each as
-- `pandoc -f FROM -t TO --lua-filter FILTER [--template T] [--wrap=none]
-- [--syntax-highlighting=none]` would make it on its own; a process per page cost more than
-- reading the page did (wfscc.render._pandoc.run_pandoc_batch).
-- stdin: JSON {from, to, filter, template (or null), wrap, highlight, inputs: [text, ...]}
-- stdout: each output followed by a NUL character, in the order of the inputs.

local request = pandoc.json.decode(io.read("a"), false)
for key, value in pairs(request) do  -- a JSON null is no value
  if value == pandoc.json.null then request[key] = nil end
end

local function read_file(path)
  local fh = assert(io.open(path, "r"))
  local text = fh:read("a")
  fh:close()
  return text
end

-- The filter's file run afresh for each document, as `--lua-filter` runs it (its local state,
-- such as the names a page has used, starts empty), with FORMAT and PANDOC_SCRIPT_FILE set as
-- pandoc sets them: the list of filters it returns, else the functions it defines.
local filter_text = request.filter and read_file(request.filter)

local function filters()
  if not filter_text then return {} end
  local env = setmetatable({FORMAT = request.to, PANDOC_SCRIPT_FILE = request.filter},
    {__index = _G})
  local result = assert(load(filter_text, "@" .. request.filter, "t", env))()
  if type(result) == "table" then
    return result[1] ~= nil and result or {result}
  end
  local own = {}
  for name, value in pairs(env) do
    if type(value) == "function" then own[name] = value end
  end
  return {own}
end

local options = {}
if request.template then
  options.template = pandoc.template.compile(read_file(request.template), request.template)
end
if request.wrap then options.wrap_text = request.wrap end
if request.highlight then options.highlight_method = request.highlight end

for _, input in ipairs(request.inputs) do
  local doc = pandoc.read(input, request.from)
  for _, filter in ipairs(filters()) do
    doc = doc:walk(filter)
  end
  io.write(pandoc.write(doc, request.to, options), "\0")
end
