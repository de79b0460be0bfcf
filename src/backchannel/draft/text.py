"""Article text: reading a file, stripping HTML, sentences and word tokens, all with spans.

Every span is a pair of character offsets ``[start, end)`` into the file's text as read
(UTF-8, a byte-order mark dropped). HTML is stripped to text, and each character of the
stripped text keeps the offset it came from, so spans still point into the file.

>>> art = article_from_text("NATO expelled eight diplomats. Russia answered on Monday.")
>>> [(s.start, s.end) for s in art.sentences]
[(0, 30), (31, 57)]
>>> art.sentences[1].text
'Russia answered on Monday.'
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import BackchannelError

__all__ = [
    "Article",
    "Sentence",
    "Token",
    "article_from_text",
    "normalise",
    "read_article",
    "split_sentences",
    "strip_html",
    "tokens",
]

# Same-length replacements, so offsets in the normalised text are offsets in the original.
_NORMALISE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2212": "-",
        "\u2014": " ",  # an em dash separates words
        "\u2015": " ",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


def normalise(text: str) -> str:
    """Lower case, straight quotes and plain hyphens, keeping every offset.

    >>> normalise("NATO’s Information Office — Moscow")
    "nato's information office   moscow"
    """
    out = text.translate(_NORMALISE)
    low = out.lower()
    if len(low) == len(out):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in out)


@dataclass(frozen=True, slots=True)
class Token:
    """A word (normalised) and where it is."""

    text: str
    start: int
    end: int


_TOKEN_RE = re.compile(r"'s\b|[a-z0-9]+(?:\.[a-z0-9]+)+\.?|[a-z0-9]+|[^\sa-z0-9]")


def tokens(norm: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word and punctuation tokens of normalised text (``'s`` stands alone).

    >>> [t.text for t in tokens(normalise("Moscow’s mission to the U.S. closed."))]
    ['moscow', "'s", 'mission', 'to', 'the', 'u.s.', 'closed', '.']
    """
    end = len(norm) if end is None else end
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(norm, start, end)]


@dataclass(slots=True)
class Sentence:
    """One sentence: its text, its span in the article's text, and its tokens."""

    start: int
    end: int
    text: str
    norm: str
    toks: list[Token] = field(default_factory=list)
    paragraph: int = 0

    @property
    def question(self) -> bool:
        """Whether the sentence asks a question (rhetorical or not)."""
        return self.text.rstrip("\"'”’) ").endswith("?")


@dataclass(slots=True)
class Article:
    """The text of an article, where each character came from, and its sentences."""

    text: str  # plain text (HTML stripped)
    origin: list[int] | None  # offset in the file of each character of `text` (None: same)
    sentences: list[Sentence]
    title: str | None = None
    path: str | None = None

    def file_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the file of ``text[start:end]``."""
        if self.origin is None or start >= end:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


# -- reading ----------------------------------------------------------------------------
def read_article(path: str | Path) -> Article:
    """Read a plain-text or HTML article; a missing, empty or binary file is a clear error."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise BackchannelError(f"{p}: file not found") from None
    except IsADirectoryError:
        raise BackchannelError(f"{p}: is a directory, not an article") from None
    except OSError as exc:
        raise BackchannelError(f"{p}: cannot read file ({exc.strerror or exc})") from None
    if b"\x00" in data:
        raise BackchannelError(f"{p}: a binary file, not text or HTML")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BackchannelError(
            f"{p}: not UTF-8 text (byte {exc.start}); a binary file, or save it as UTF-8"
        ) from None
    if not text.strip():
        raise BackchannelError(f"{p}: the file is empty")
    art = article_from_text(text)
    art.path = str(p)
    if not art.sentences:
        raise BackchannelError(f"{p}: no text in the file")
    return art


_HTML_HINT = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<body|<p[\s>]|<div|<article)", re.I)


def article_from_text(text: str) -> Article:
    """An article from text already read (HTML when it looks like HTML)."""
    title = None
    origin = None
    plain = text
    if _HTML_HINT.match(text):
        plain, origin, title = strip_html(text)
    sentences = split_sentences(plain)
    if title is None:
        title = _first_line(plain)
    return Article(plain, origin, sentences, title)


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= 160 else line[:157].rstrip() + "…"
    return None


# -- HTML -------------------------------------------------------------------------------
_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|<![^>]*>|<\?[^>]*>")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "title",
    "figcaption",
    "dt",
    "dd",
    "hr",
}
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)


def strip_html(source: str) -> tuple[str, list[int], str | None]:
    """HTML to text: tags dropped (block tags become line breaks), entities decoded.

    Returns the text, the file offset of each of its characters, and the ``<title>``.

    >>> text, origin, title = strip_html("<p>NATO&rsquo;s office</p><p>Closed.</p>")
    >>> [line for line in text.split("\\n") if line], origin[text.index("N")], title
    (['NATO’s office', 'Closed.'], 3, None)
    """
    m = _TITLE.search(source)
    title = " ".join(html.unescape(_TAG.sub("", m.group(1))).split()) if m else None
    out: list[str] = []
    origin: list[int] = []
    dropped = [(d.start(), d.end()) for d in _DROP.finditer(source)]
    pos = 0

    def emit_text(a: int, b: int) -> None:
        i = a
        for e in _ENTITY.finditer(source, a, b):
            for k in range(i, e.start()):
                out.append(source[k])
                origin.append(k)
            for ch in html.unescape(e.group()):
                out.append(ch)
                origin.append(e.start())
            i = e.end()
        for k in range(i, b):
            out.append(source[k])
            origin.append(k)

    def emit_tags(a: int, b: int) -> None:
        i = a
        for t in _TAG.finditer(source, a, b):
            emit_text(i, t.start())
            if t.group(2) and t.group(2).lower() in _BLOCK:
                out.append("\n")
                origin.append(t.start())
            i = t.end()
        emit_text(i, b)

    for a, b in dropped:
        emit_tags(pos, a)
        out.append("\n")
        origin.append(a)
        pos = b
    emit_tags(pos, len(source))
    return "".join(out), origin, title


# -- sentences --------------------------------------------------------------------------
_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "sgt",
    "adm",
    "capt",
    "cmdr",
    "st",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "no",
    "vs",
    "etc",
    "jr",
    "sr",
    "prof",
    "gov",
    "sen",
    "rep",
    "amb",
    "pres",
    "dept",
    "min",
    "approx",
}
_END_RE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of plain text: a line is never joined to the next, and a full stop after
    an abbreviation (``Gen.``, ``Oct.``, ``U.S.``) or an initial does not end a sentence.

    >>> [s.text for s in split_sentences("Gen. Milley met Gen. Gerasimov on Oct. 6. They talked.")]
    ['Gen. Milley met Gen. Gerasimov on Oct. 6.', 'They talked.']
    """
    norm = normalise(text)
    out: list[Sentence] = []
    paragraph = 0
    for line in re.finditer(r"[^\n]+", text):
        a, b = line.start(), line.end()
        if not text[a:b].strip():
            continue
        paragraph += 1
        start = a
        for m in _END_RE.finditer(text, a, b):
            if m.group().startswith(".") and _abbreviation_before(text, m.start()):
                continue
            _add(out, text, norm, start, m.end(), paragraph)
            start = m.end()
        _add(out, text, norm, start, b, paragraph)
    return out


def _abbreviation_before(text: str, dot: int) -> bool:
    i = dot
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot]
    if not word:
        return False
    if "." in word:  # U.S. / e.g.
        return True
    if len(word) == 1 and word.isupper():  # an initial
        return True
    return word.lower() in _ABBREV and word[0].isupper()


def _add(out: list[Sentence], text: str, norm: str, a: int, b: int, paragraph: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a >= b:
        return
    out.append(Sentence(a, b, text[a:b], norm[a:b], tokens(norm, a, b), paragraph))
