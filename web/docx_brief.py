"""The brief as a Word document (.docx, python-docx): what staff edit into a note for a minister.

Same content as the Markdown export: title, export date, sample banner, one heading per question,
each excerpt quoted with its reference, note, page explanation and clickable links.
"""

from __future__ import annotations

import io

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from .brief import Brief, labelled, question_title
from .citation import one_line
from .i18n import translate


def add_link(paragraph: Paragraph, url: str) -> None:
    """Append `url` to `paragraph` as a clickable, underlined hyperlink."""
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.extend([style, underline])
    text = OxmlElement("w:t")
    text.text = url
    run.extend([props, text])
    link.append(run)
    paragraph._p.append(link)


def field(doc: Document, label: str, value: str = "", url: str = "") -> Paragraph:
    """A « Label : value » line, the label in bold, then the link if any."""
    paragraph = doc.add_paragraph(style="List Bullet")
    paragraph.add_run(f"{label} ").bold = True
    if value:
        paragraph.add_run(value)
    if url:
        add_link(paragraph, url)
    return paragraph


def brief_docx(brief: Brief) -> bytes:
    """The .docx bytes of `brief`."""
    t = brief.lang
    doc = Document()
    doc.core_properties.title = translate("export.title", t)
    doc.core_properties.language = t
    doc.add_heading(translate("export.title", t), level=0)
    doc.add_paragraph(translate("export.generated", t, date=brief.today))
    if brief.sample:
        doc.add_paragraph().add_run(translate("sample.banner", t)).bold = True
    for question, items in brief.groups:
        doc.add_heading(question_title(question, t), level=1)
        for e in items:
            doc.add_heading(f"{e.n}. {e.heading}", level=2)
            for line in e.card["text"].splitlines():
                if one_line(line):
                    doc.add_paragraph(one_line(line), style="Quote")
            field(doc, labelled("export.reference", t), e.citation)
            if e.item.note:
                field(doc, labelled("export.note", t), e.item.note)
            field(doc, labelled("export.pages", t), e.pages_note)
            field(doc, labelled("export.viewer", t), url=e.viewer)
            field(doc, labelled("export.permalink", t), url=e.permalink)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
