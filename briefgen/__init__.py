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
  `render_pdf` (reportlab, with `pdf_fonts`, `pdf_text`, `pdf_flow`, `pdf_page`, and
  `pdf_tags`, `pdf_marks` and `pdf_meta` for the tagged PDF/UA-1 and PDF/A-2a) and
  `render_docx` (python-docx) are imported lazily; `engine` sets reportlab up.
- `sentences`: where sentences end (abbreviations known), for advice and one-liners.
- `templates`: template folders (YAML data with `parent:` inheritance) and the fonts.
- `jobs`: the outputs a build asks for, file naming and atomic writes; `cli` is the
  command line on top of it all.
"""

__version__ = "0.1.0"
