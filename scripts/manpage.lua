-- manpage.lua -- pandoc filter that turns a page of the user guide
-- (docs/commands/NAME.md, docs/cli.md) into a man page in section 1.
--
-- Metadata in (pandoc -M): name (cybercell-export), summary (the NAME
-- line; else the start of the page's first sentence), srcdir (the page's folder in the
-- tree), docdir (where make install puts docs/), version.
--
-- The page's "# title" gives way to NAME; a first code block that starts
-- with "cybercell" (the usage) becomes SYNOPSIS; the rest of the
-- introduction is DESCRIPTION; "##" sections become .SH (in capitals) and
-- deeper ones .SS.  Tables become tagged paragraphs, as man pages list
-- options; links to other command pages become cybercell-NAME(1) and links
-- to other docs their installed path.

local stringify = pandoc.utils.stringify

local function meta_str(meta, key)
  return meta[key] and stringify(meta[key]) or ""
end

-- "docs/commands/../store.md#x" -> "docs/store.md"
local function normalise(path)
  path = path:gsub("#.*$", "")
  local n
  repeat
    path, n = path:gsub("[^/]+/%.%./", "", 1)
  until n == 0
  return path
end

local function man_link(el, meta)
  local t = el.target
  if t:match("^%a+:") or t:match("^#") then
    return nil
  end
  local path = normalise(meta_str(meta, "srcdir") .. "/" .. t)
  local cmd = path:match("^docs/commands/(.+)%.md$")
  if cmd then
    return { pandoc.Strong({ pandoc.Str("cybercell-" .. cmd) }), pandoc.Str("(1)") }
  end
  local installed = meta_str(meta, "docdir") .. "/" .. path
  local text = stringify(el.content)
  if text == t or path:sub(-#text) == text then
    return pandoc.Str(installed)
  end
  return { pandoc.Span(el.content), pandoc.Space(), pandoc.Str("(" .. installed .. ")") }
end

-- Tables as definition lists (.TP), as man pages list options: the first
-- cell is the term; the second its text (with more columns, each further
-- cell is a line of its own led by its column's heading).
local function table_to_list(tbl)
  local ncols, heads, items = #tbl.colspecs, {}, {}
  if ncols < 2 then
    return nil
  end
  for i, cell in ipairs(tbl.head.rows[1] and tbl.head.rows[1].cells or {}) do
    heads[i] = pandoc.utils.blocks_to_inlines(cell.contents)
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      local term = pandoc.utils.blocks_to_inlines(row.cells[1].contents)
      local def = {}
      for c = 2, ncols do
        local text = pandoc.utils.blocks_to_inlines(row.cells[c].contents)
        if ncols > 2 and heads[c] then
          local line = { pandoc.Emph(heads[c]), pandoc.Str(":"), pandoc.Space() }
          for _, x in ipairs(text) do
            line[#line + 1] = x
          end
          text = line
        end
        def[#def + 1] = pandoc.Plain(text)
        if c < ncols then
          def[#def + 1] = pandoc.RawBlock("man", ".br")
        end
      end
      items[#items + 1] = { term, { def } }
    end
  end
  return pandoc.DefinitionList(items)
end

local function first_sentence(blocks)
  for _, b in ipairs(blocks) do
    if b.t == "Para" then
      local s = stringify(b)
      return (s:match("^(.-)[.,:;]%s") or s:gsub("%.$", ""))
    end
  end
  return ""
end

local function header(level, text)
  return pandoc.Header(level, { pandoc.Str(text) })
end

local function reshape(doc)
  local meta = doc.meta
  local name = meta_str(meta, "name")
  local intro, rest, synopsis = {}, {}, nil
  local in_intro = true

  for i, b in ipairs(doc.blocks) do
    if b.t == "Header" and b.level == 1 and i == 1 then
      -- the page title: NAME replaces it
    elseif b.t == "Header" then
      in_intro = false
      local text = stringify(b.content)
      if b.level == 2 then
        rest[#rest + 1] = header(1, text:upper())
      else
        rest[#rest + 1] = pandoc.Header(2, b.content)
      end
    elseif in_intro and not synopsis and b.t == "CodeBlock" and b.text:match("^cybercell") then
      synopsis = b
    elseif in_intro then
      intro[#intro + 1] = b
    else
      rest[#rest + 1] = b
    end
  end

  local summary = meta_str(meta, "summary")
  if summary == "" then
    summary = first_sentence(intro)
  end
  local out = { header(1, "NAME"), pandoc.Para({ pandoc.Str(name .. " - " .. summary) }) }
  if synopsis then
    out[#out + 1] = header(1, "SYNOPSIS")
    out[#out + 1] = synopsis
  end
  if #intro > 0 then
    out[#out + 1] = header(1, "DESCRIPTION")
    for _, b in ipairs(intro) do
      out[#out + 1] = b
    end
  end
  for _, b in ipairs(rest) do
    out[#out + 1] = b
  end
  if name ~= "cybercell" then
    out[#out + 1] = header(1, "SEE ALSO")
    out[#out + 1] = pandoc.Para({ pandoc.Strong({ pandoc.Str("cybercell") }), pandoc.Str("(1)") })
  end

  meta.title = pandoc.MetaString(name:upper())
  meta.section = pandoc.MetaString("1")
  meta.header = pandoc.MetaString("cybercell manual")
  meta.footer = pandoc.MetaString("cybercell " .. meta_str(meta, "version"))
  return pandoc.Pandoc(out, meta)
end

-- Links and tables first (they need the document's metadata), then the shape.
local meta_seen
return {
  { Meta = function(m) meta_seen = m end },
  {
    Link = function(el) return man_link(el, meta_seen) end,
    Table = table_to_list,
  },
  { Pandoc = reshape },
}
