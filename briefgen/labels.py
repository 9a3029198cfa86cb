"""Languages: the words a brief prints in its `lang`, how its dates read, and which way its
pages run.

Label sets are data, one file per language beside the templates (`templates/labels/`),
checked by the same table as a template's labels (`templates.LABELS`). A brief's labels are
the set of its language (matched on the primary subtag: ur-PK reads ur.yaml), with the
template's own labels for that language on top: a template's flat `labels:` are its English
words, `labels: {ru: {...}}` its Russian ones. A language without a set gets the English
words (and `load` warns). Dates come from CLDR through Babel, which is imported only for a
brief that is not in English, so English briefs cost nothing more to build.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Any

from .errors import BriefError, Diagnostic
from .templates import LABELS, Template, builtin_dir, label_problems

LABEL_SETS = ("en", "fr", "es", "de", "ru", "ur", "ar", "fa")
"""The languages briefgen has labels for (templates/labels/<code>.yaml)."""
TEMPLATE_ONLY = ("title_text",)
"""Labels a template sets for itself (a memo's own heading), not a language set."""
RTL_SCRIPTS = frozenset(("Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand",
                         "Samr", "Mend", "Yezi"))
"""Scripts written right to left (ISO 15924)."""


def primary(lang: str) -> str:
    """The primary language subtag of a BCP 47 tag, lower case: ur-PK -> ur."""
    return lang.replace("_", "-").split("-")[0].lower()


def label_dir():
    """Where the built-in label sets are."""
    return builtin_dir() / "labels"


def has_labels(lang: str) -> bool:
    """Whether briefgen has a label set for the language of this tag."""
    return primary(lang) in LABEL_SETS and (label_dir() / f"{primary(lang)}.yaml").is_file()


@lru_cache(maxsize=16)
def builtin(code: str) -> dict[str, Any]:
    """The built-in label set of a language (its primary subtag), checked: every label a
    template prints is there. A broken file is a located error."""
    from .templates import _read

    file = label_dir() / f"{code}.yaml"
    data, origins = _read(file)
    problems = []
    for path, message, at_key in label_problems(data):
        where = ("key",) + path if at_key and ("key",) + path in origins else path
        while where and where not in origins:
            where = where[:-1]
        name, line, col = origins.get(where, (str(file), 1, 1))
        problems.append(Diagnostic(name, line, col, message, ".".join(map(str, path))))
    for key in LABELS:
        if key not in data and key not in TEMPLATE_ONLY:
            problems.append(Diagnostic(str(file), 1, 1, f"label '{key}' is missing: a "
                                                        f"language's set has every label"))
    if problems:
        raise BriefError(problems)
    return data


class Labels(dict):
    """The labels of one output: label key -> value, and the language they are in."""

    lang: str = "en"

    def count(self, key: str, n: int) -> str:
        """A count label for n: its text for n's CLDR plural category, {n} filled."""
        value = self[key]
        return _count(value, n, self.lang)

    def length(self, name: str) -> str:
        """A length's name: one-page, two-page, full, or N-page (by its count)."""
        names = self["lengths"]
        m = re.fullmatch(r"(\d+)-page", name)
        if m and int(m.group(1)) in (1, 2):
            name = ("one-page", "two-page")[int(m.group(1)) - 1]
        if name in names and name != "pages":
            return str(names[name])
        if m:
            return _count(names["pages"], int(m.group(1)), self.lang)
        return name

    def priority(self, key: str, priority: str, lower: bool = False) -> str:
        """A priority phrase (priority_lead or priority_note) for high, medium or low."""
        value = self[key]
        if isinstance(value, dict):
            return str(value[priority])
        word = str(self["priority"][priority])
        return str(value).replace("{priority}", word.lower() if lower else word)

    def join(self, parts) -> str:
        """'a, b and c' in the language's words."""
        parts = list(parts)
        if len(parts) <= 1:
            return "".join(parts)
        return self["comma"].join(parts[:-1]) + self["list_and"] + parts[-1]

    def quoted(self, text: str) -> str:
        """Text in the language's quote marks."""
        opening, closing = self["quotes"]
        return f"{opening}{text}{closing}"


_LABELS: dict[tuple[int, str], tuple[Template, Labels]] = {}


def labels_for(template: Template, lang: str) -> Labels:
    """The labels an output in this language prints with this template: the language's set
    (English when briefgen has none), the template's own labels for it on top."""
    code = primary(lang)
    hit = _LABELS.get((id(template), code))
    if hit is not None and hit[0] is template:
        return hit[1]
    known = has_labels(code)
    if known and code != "en":
        out = Labels({**builtin(code), **template.language_labels.get(code, {})})
    else:  # English, or a language without a set: the English words
        out = Labels({**builtin("en"), **template.labels,
                      **template.language_labels.get(code, {})})
    out.lang = code if known else "en"
    if len(_LABELS) > 64:
        _LABELS.clear()
    _LABELS[(id(template), code)] = (template, out)
    return out


def _count(value: Any, n: int, lang: str) -> str:
    if isinstance(value, dict):
        text = value.get(plural_category(n, lang)) or value["other"]
    else:
        text = value
    return str(text).replace("{n}", str(n))


def plural_category(n: int, lang: str) -> str:
    """The CLDR plural category of n in a language: one, few, many, other..."""
    if primary(lang) == "en":
        return "one" if n == 1 else "other"
    locale = _locale(lang)
    return locale.plural_form(n) if locale is not None else ("one" if n == 1 else "other")


@lru_cache(maxsize=32)
def _locale(lang: str):
    """Babel's locale of a tag (its language alone when the whole tag is unknown), or
    None when CLDR has neither."""
    from babel import Locale, UnknownLocaleError

    for tag in (lang.replace("-", "_"), primary(lang)):
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return None


def format_date(value: datetime.date, lang: str = "en") -> str:
    """A date as a reader of the language expects it in a brief: 18 January 2025 in
    English (whatever the region), else CLDR's long format: 18 января 2025 г."""
    if primary(lang) == "en":
        return f"{value.day} {value.strftime('%B')} {value.year}"
    locale = _locale(lang)
    if locale is None:
        return f"{value.day} {value.strftime('%B')} {value.year}"
    from babel.dates import format_date as babel_date

    # CLDR puts a narrow no-break space before "г."; a no-break space is in every font.
    return babel_date(value, "long", locale=locale).replace("\u202f", "\u00a0")


def direction(lang: str) -> str:
    """'rtl' for a language written right to left (ur, ar, fa, he... or a tag whose script
    subtag is such a script), else 'ltr'."""
    from .scripts import language_script

    return "rtl" if language_script(lang) in RTL_SCRIPTS else "ltr"
