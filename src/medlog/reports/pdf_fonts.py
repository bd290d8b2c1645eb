"""Which font draws each character of the visit report's PDF, so that a note or a name in any script comes out
readable on paper and in the PDF's text layer (what pdftotext and a screen reader get).

Each character goes to the first of these that has it:

1. Bitstream Vera, the report's face (it ships with reportlab): Latin, the report's own dashes, "·" and "≤".
2. The standard Symbol font, for signs only ("→" in "5 mg → 10 mg", maths): one of PDF's built-in fonts, never
   embedded, so the report's own words never need more than Vera.
3. DejaVu Sans, shipped in medlog/data/fonts (regular, bold and oblique, as the text around it): Cyrillic, Greek
   (accented too), Latin beyond Vera's, many symbols. It is Vera extended, so a mixed line reads as one face. A
   face is read (~14 ms) and embedded (its used glyphs only) only by a report that needs it.
4. reportlab's CID fonts: kana in Japanese (HeiseiKakuGo-W5, a gothic like Vera), Hangul in Korean
   (HYSMyeongJo-Medium, spelled as in Adobe's font packs, which reportlab's HYGothic-Medium is not), and Han in
   Japanese within a word (between spaces) that has kana, in Korean within one that has Hangul, else in simplified
   Chinese (STSong-Light): its Adobe-GB1 collection maps all 20,902 characters of Unicode's first Han block,
   traditional and Japanese forms too, where Japan's maps 7,919 and Korea's 4,620 (so "头晕" in Japanese would be
   lost). They are not embedded: the PDF names the font and its character collection, and the viewer supplies a
   font. Acrobat, macOS, Windows and browsers have CJK fonts; a viewer without any (poppler on a bare Linux)
   draws boxes, though the text still copies, searches and reads out.
5. Nothing: a stand-in in brackets, in the report's face. An emoji is its Unicode name ("😴" → "[sleeping face]"),
   even where DejaVu has an outline: at 8 pt a line drawing is harder to read than its name, and colour is half
   its meaning. A letter no font here has, or a right-to-left letter (drawn unshaped, left to right, it would
   mislead), stands for its script, once per word ("[Devanagari text]", "[Hebrew text]"); a character without a
   name is its code ("[U+E000]"). Variation selectors, joiners and skin-tone modifiers are dropped.

Never an empty box, and never an error: the fallback is per character, in paragraphs, table cells, the footer
and the charts' titles alike.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache, lru_cache

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

VERA = os.path.join(os.path.dirname(reportlab.__file__), "fonts")  # full paths: no search, no urllib import
SHIPPED = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "fonts")  # package data, never /usr
REGULAR, BOLD, ITALIC = "Vera", "VeraBd", "VeraIt"
SYMBOL = "Symbol"
WIDE = {REGULAR: "DejaVuSans", BOLD: "DejaVuSans-Bold", ITALIC: "DejaVuSans-Oblique"}
JAPANESE, KOREAN, CHINESE = "HeiseiKakuGo-W5", "HYSMyeongJo-Medium", "STSong-Light"
EMOJI = (0x1F000, 0x1FAFF)  # pictographs, emoticons, transport, ...: named, never drawn
WORDS = re.compile(r"(\s+)")  # words and the spaces between them, each a piece of its own
FLAG = re.compile("[\U0001F1E6-\U0001F1FF]{2}")  # two regional indicators: a flag
# (first, last, kind): the Basic Multilingual Plane's CJK blocks the CID fonts draw (their encodings are UCS-2)
CJK = ((0x1100, 0x11FF, "hangul"), (0x2E80, 0x2FDF, "han"), (0x3000, 0x303F, "han"), (0x3040, 0x30FF, "kana"),
       (0x3100, 0x312F, "han"), (0x3130, 0x318F, "hangul"), (0x3190, 0x31EF, "han"), (0x31F0, 0x31FF, "kana"),
       (0x3200, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"), (0xA960, 0xA97F, "hangul"), (0xAC00, 0xD7FF, "hangul"),
       (0xF900, 0xFAFF, "han"), (0xFE30, 0xFE4F, "han"), (0xFF00, 0xFF64, "han"), (0xFF65, 0xFF9F, "kana"),
       (0xFFA0, 0xFFDC, "hangul"), (0xFFE0, 0xFFEF, "han"))


def _dropped(cp: int) -> bool:
    """Joiners, variation selectors, skin tones, tags and the keycap: parts of an emoji, nothing alone."""
    return (cp in (0x200C, 0x200D, 0x20E3) or 0xFE00 <= cp <= 0xFE0F or 0x1F3FB <= cp <= 0x1F3FF
            or 0xE0000 <= cp <= 0xE01EF)


_cover: dict[str, frozenset[int]] = {}  # the code points each TrueType face has, once read in this process


def register(*, italic: bool) -> None:
    """Vera, the report's face (italic only for a report that quotes the user), as one family for platypus."""
    for name in (REGULAR, BOLD, ITALIC) if italic else (REGULAR, BOLD):
        coverage(name)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


def coverage(name: str) -> frozenset[int]:
    """The code points the TrueType face `name` has, registering it on first use: Vera from reportlab's fonts,
    DejaVu from medlog's package data."""
    found = _cover.get(name)
    if found is None:
        if name not in pdfmetrics.getRegisteredFontNames():  # by name alone, reportlab would search the disk
            folder = VERA if name.startswith("Vera") else SHIPPED
            pdfmetrics.registerFont(TTFont(name, os.path.join(folder, f"{name}.ttf")))
        font = pdfmetrics.getFont(name)
        if not isinstance(font, TTFont):  # Vera and DejaVu are TrueType, registered as such above
            raise TypeError(f"the font {name!r} is registered, but not as a TrueType font")
        found = _cover[name] = frozenset(font.face.charToGlyph)
    return found


def _cid(face: str) -> str:
    if face not in pdfmetrics.getRegisteredFontNames():
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # only a report with CJK text pays for its tables

        pdfmetrics.registerFont(UnicodeCIDFont(face))
    return face


@cache
def _in_symbol(ch: str) -> bool:
    """Whether the standard Symbol font has the character (arrows, Greek, maths)."""
    try:
        ch.encode("symbol")
    except (UnicodeError, LookupError):
        return False
    return True


def _cjk(cp: int) -> str | None:
    """"han", "kana" or "hangul" for a character the CID fonts draw, else None."""
    if 0x1100 <= cp <= 0xFFEF:
        for first, last, kind in CJK:
            if first <= cp <= last:
                return kind
    return None


def has_cjk(text: str) -> bool:
    """Whether the text holds Han, kana or Hangul (a paragraph of it wraps between any two characters)."""
    return not text.isascii() and any(_cjk(ord(ch)) for ch in text)


@lru_cache(maxsize=256)
def _han_face(word: str) -> str:
    """The face for the Han characters of a word: Japanese beside kana, Korean beside Hangul, else Chinese."""
    kinds = {_cjk(ord(ch)) for ch in word}
    return JAPANESE if "kana" in kinds else KOREAN if "hangul" in kinds else CHINESE


def stand_in(ch: str) -> str:
    """What is written for a character no font here draws: "[sleeping face]", "[Devanagari text]", "[U+E000]"."""
    name = unicodedata.name(ch, "")
    if not name:
        return f"[U+{ord(ch):04X}]"
    if unicodedata.category(ch)[0] in "LM" or unicodedata.bidirectional(ch) in ("R", "AL"):
        return f"[{name.split()[0].title()} text]"
    return f"[{name.lower()}]"


def _place(ch: str, font: str, word: str) -> tuple[str, str]:
    """(face, what to write) for a character `font` lacks, in `word`."""
    cp = ord(ch)
    if ch.isspace():
        return font, ch if ch.isascii() else " "
    if _dropped(cp):
        return font, ""
    if EMOJI[0] <= cp <= EMOJI[1]:
        return font, stand_in(ch)
    if unicodedata.category(ch)[0] not in "LM" and _in_symbol(ch):
        return SYMBOL, ch
    kind = _cjk(cp)
    if kind is not None:
        return _cid(JAPANESE if kind == "kana" else KOREAN if kind == "hangul" else _han_face(word)), ch
    if unicodedata.bidirectional(ch) not in ("R", "AL"):
        for face in (WIDE[font], WIDE[REGULAR]) if font != REGULAR else (WIDE[REGULAR],):
            if cp in coverage(face):
                return face, ch
    return font, stand_in(ch)


def runs(text: str, font: str = REGULAR) -> list[tuple[str, str]]:
    """`text` as (face, text) runs to draw it in `font` (Vera, its bold or its italic): each character in the
    first face that has it, stand-ins for what none has. Text in any other face is one run as it is."""
    if text.isascii() or font not in WIDE:
        return [(font, text)]
    have = coverage(font)
    if all(ord(ch) in have for ch in text):
        return [(font, text)]
    text = FLAG.sub(lambda m: "[flag " + "".join(chr(ord(c) - 0x1F1E6 + 65) for c in m.group()) + "]", text)
    out: list[tuple[str, str]] = []
    last = ""  # the script stand-in just written: the rest of its word (letters, marks) is not written again
    for word in WORDS.split(text):
        for ch in word:
            if ord(ch) in have:
                face, part = font, ch
            else:
                face, part = _place(ch, font, word)
                if part == last or last and unicodedata.category(ch)[0] == "M":
                    continue
            last = part if part.endswith(" text]") else ""
            if out and out[-1][0] == face:
                out[-1] = (face, out[-1][1] + part)
            elif part:
                out.append((face, part))
    return out


def markup(text: str, font: str = REGULAR) -> str:
    """Plain text as platypus Paragraph markup in a style whose font is `font`: escaped, line breaks kept, each run
    in its face."""
    def escape(part: str) -> str:
        return part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    text = "".join(escape(part) if face == font else f'<font face="{face}">{escape(part)}</font>'
                   for face, part in runs(text, font))
    return text.replace("\n", "<br/>")


def width(text: str, font: str, size: float) -> float:
    """The width `text` takes drawn in `font` with the fallback (in any other face, as it is)."""
    return sum(pdfmetrics.stringWidth(part, face, size) for face, part in runs(text, font))
