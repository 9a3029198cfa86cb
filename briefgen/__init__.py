"""briefgen: structured YAML summaries of policy articles in, DOCX and PDF briefs out.

The pipeline has four stages, one module each, and the modules around them:

- `model`: the validated brief, frozen dataclasses whose field specs drive validation
  and the JSON Schema (`schema`).
- `load`: YAML text -> `Brief`, or every error at once, located (`errors`, which also
  holds `Stopped`, how a build stopped by SIGINT or SIGTERM ends). The only module that
  touches the input YAML.
- `plan`: which content a length carries (`Plan`, `Length`); `fit` searches for the richest
  plan that fits a page budget, measuring with the PDF engine.
- `build`: brief + plan + template -> a layout-neutral tree (`doc`), with inline Markdown
  parsed into runs (`inline`) and the words of the brief's language (`labels`: the label
  set of its `lang`, its dates from CLDR, its plural forms and which way its pages run).
- `render`: the `RENDERERS` table, format name -> `document, template -> bytes`;
  `render_pdf` (reportlab, with `pdf_fonts`, `pdf_text`, `pdf_bidi` (lines in the order
  of the Unicode bidi algorithm), `pdf_flow`, `pdf_page`, and
  `pdf_tags`, `pdf_marks` and `pdf_meta` for the tagged PDF/UA-1 and PDF/A-2a) and
  `render_docx` (python-docx, with `docx_xml` for the schema's element order,
  `docx_lang` for the languages it declares (document defaults and runs in other scripts),
  `docx_package` for the package and its parts, `docx_fonts` for the faces it embeds,
  `docx_styles` for styles and numbering
  and `docx_page` for headers and footers) are imported lazily; `engine` sets reportlab
  up and checks that the reportlab internals it patches are there; `lists` says where a
  list item's label and text stand, for both formats.
- `article`: a source's text (plain text, Markdown, a saved HTML page) -> its metadata
  and its paragraphs, numbered by the one paragraph rule; `quotes`, the step after `load`:
  every evidence quote checked against `source.text`, as located diagnostics; `draft`, the
  reverse of `load`: an article's text -> the YAML of a starter brief.
- `sentences`: where sentences end (abbreviations known), for advice, one-liners and drafts.
- `templates`: template folders (YAML data with `parent:` inheritance) and the fonts,
  every setting checked (and the logo, fonts and reference.docx opened) at load, labels
  by the rules of `label_rules`;
  `coverage`: which characters the fonts have, read from their character maps without
  the PDF engine (the warning for characters no font has).
- `book`: a briefing book's file (`book: 1`) -> a validated `Book`, its briefs and templates
  checked with it; `book_build` fits each brief as alone and makes the book's tree (cover,
  contents, parts); `book_pdf` and `book_docx` draw it in one pass with the two renderers'
  node methods (a page template, or a Word section, per brief); `book_jobs` its outputs.
- `jobs`: the outputs a build asks for, file naming, atomic writes, worker processes and
  clean stops; `cli` is the command line on top of it all, `api` the same for scripts,
  `watch` the rebuild loop.
"""

__version__ = "0.1.0"
