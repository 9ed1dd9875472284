"""Fonts and paragraph styles of the sample reports (DejaVu, French hyphenation)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {
    "Serif": "DejaVuSerif.ttf",
    "Serif-Bold": "DejaVuSerif-Bold.ttf",
    "Serif-Italic": "DejaVuSerif-Italic.ttf",
    "Serif-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
    "Sans": "DejaVuSans.ttf",
    "Sans-Bold": "DejaVuSans-Bold.ttf",
}
BODY_SIZE = 10
BODY_LEADING = 12.5
NOTE_SIZE = 7.5
GREY_BOX = colors.Color(0.93, 0.93, 0.93)
RULE_GREY = colors.Color(0.45, 0.45, 0.45)


def register_fonts() -> None:
    """Register the DejaVu TTF fonts (so « n° », « œ », « € » and ligatures extract)."""
    missing = [name for name in FONTS.values() if not (FONT_DIR / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"Polices DejaVu introuvables dans {FONT_DIR} ({', '.join(missing)}) : "
            "installez le paquet Debian fonts-dejavu-core."
        )
    for name, file in FONTS.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(
        "Serif", normal="Serif", bold="Serif-Bold", italic="Serif-Italic",
        boldItalic="Serif-BoldItalic",
    )


def _style(name: str, **overrides: object) -> ParagraphStyle:
    """A style derived from the justified, hyphenated body style."""
    base = {
        "fontName": "Serif",
        "fontSize": BODY_SIZE,
        "leading": BODY_LEADING,
        "alignment": TA_JUSTIFY,
        "spaceAfter": 6,
        "allowWidows": 0,  # no lone last line of a paragraph at the top of a page
        # French hyphenation through pyphen, also at the hyphens of compound words.
        "hyphenationLang": "fr",
        "embeddedHyphenation": 1,
        "uriWasteReduce": 0.3,
    }
    base.update(overrides)
    return ParagraphStyle(name, **base)


def heading_style(level: int) -> ParagraphStyle:
    """Bold sans-serif heading style, smaller at each level."""
    size = {1: 16, 2: 12.5, 3: 11}[level]
    return _style(
        f"h{level}", fontName="Sans-Bold", fontSize=size, leading=size * 1.25,
        alignment=TA_LEFT, hyphenationLang="", embeddedHyphenation=0,
        spaceBefore={1: 18, 2: 10, 3: 7}[level], spaceAfter={1: 10, 2: 5, 3: 4}[level],
        keepWithNext=1,
    )


def body_style(gap: float) -> ParagraphStyle:
    """The body style with `gap` points between paragraphs."""
    return _style(f"body-{gap}", spaceAfter=gap)


def recommendation_style(boxed: bool, gap: float) -> ParagraphStyle:
    """Recommendations: in a grey box (2017) or plain, `gap` points around them."""
    if boxed:
        return _style(f"rec-boxed-{gap}", backColor=GREY_BOX, borderPadding=(6, 8, 6, 8),
                      leftIndent=8, rightIndent=8, spaceBefore=gap + 4, spaceAfter=gap + 8)
    return _style(f"rec-inline-{gap}", spaceBefore=gap / 2, spaceAfter=gap + 2)
BULLET = _style("bullet", leftIndent=18, bulletIndent=6, spaceAfter=3)
CELL = _style("cell", fontSize=9, leading=11.5, alignment=TA_LEFT, spaceAfter=0)
CELL_HEAD = _style("cell-head", parent=CELL, fontName="Sans-Bold", fontSize=9, leading=11.5,
                   alignment=TA_LEFT, spaceAfter=0, hyphenationLang="")
NOTE = _style("note", fontSize=NOTE_SIZE, leading=NOTE_SIZE * 1.25, alignment=TA_LEFT,
              spaceAfter=1.5, leftIndent=10, firstLineIndent=-10)
EPIGRAPH = _style(
    "epigraph", fontName="Serif-Italic", leftIndent=40, rightIndent=40, spaceBefore=10,
    spaceAfter=16, borderWidth=0.6, borderColor=RULE_GREY, borderPadding=8,
    alignment=TA_CENTER,
)
PRINCIPLE = _style(
    "principle", fontName="Serif-Italic", leftIndent=24, rightIndent=24, spaceBefore=8,
    spaceAfter=10, borderWidth=0.6, borderColor=colors.black, borderPadding=6,
)
COVER_TITLE = _style("cover-title", fontName="Sans-Bold", fontSize=24, leading=30,
                     alignment=TA_CENTER, hyphenationLang="", spaceAfter=18)
COVER_TEXT = _style("cover-text", fontName="Sans", fontSize=13, leading=17,
                    alignment=TA_CENTER, hyphenationLang="", spaceAfter=10)
COVER_BANNER = _style(
    "cover-banner", fontName="Sans-Bold", fontSize=12, leading=16, alignment=TA_CENTER,
    hyphenationLang="", textColor=colors.white, backColor=colors.Color(0.6, 0.1, 0.1),
    borderPadding=10, spaceBefore=30, spaceAfter=30,
)


def toc_level_styles() -> list[ParagraphStyle]:
    """Styles of the Sommaire lines: parts in bold, sections indented."""
    return [
        _style("toc1", fontName="Sans-Bold", fontSize=9.5, leading=11, alignment=TA_LEFT,
               hyphenationLang="", leftIndent=0, firstLineIndent=0, spaceBefore=2.5,
               spaceAfter=0),
        _style("toc2", fontName="Serif", fontSize=8.5, leading=9.6, alignment=TA_LEFT,
               hyphenationLang="", leftIndent=16, firstLineIndent=0, spaceAfter=0),
    ]

