"""briefgen: structured YAML summaries of policy articles in, DOCX and PDF briefs out.

The pipeline has four stages, one module each, and the modules around them:

- `model`: the validated brief, frozen dataclasses whose field specs drive validation
  and the JSON Schema (`schema`).
- `load`: YAML text -> `Brief`, or every error at once, located (`errors`). The only
  module that touches the input YAML.
- `plan`: which content a length carries (`Plan`, `Length`); `fit` searches for the richest
  plan that fits a page budget, measuring with the PDF engine.
- `build`: brief + plan + template -> a layout-neutral tree (`doc`), with inline Markdown
  parsed into runs (`inline`).
- `render`: the `RENDERERS` table, format name -> `document, template -> bytes`;
  `render_pdf` (reportlab, with `pdf_fonts`, `pdf_text`, `pdf_flow` and `pdf_page`) and
  `render_docx` (python-docx) are imported lazily; `engine` sets reportlab up.
- `article`: a source's text (plain text, Markdown, a saved HTML page) -> its metadata
  and its paragraphs, numbered by the one paragraph rule; `quotes`, the step after `load`:
  every evidence quote checked against `source.text`, as located diagnostics; `draft`, the
  reverse of `load`: an article's text -> the YAML of a starter brief.
- `sentences`: where sentences end (abbreviations known), for advice, one-liners and drafts.
- `templates`: template folders (YAML data with `parent:` inheritance) and the fonts.
- `jobs`: the outputs a build asks for, file naming and atomic writes; `cli` is the
  command line on top of it all.
"""

__version__ = "0.1.0"
