"""Building blocks for the Word templates: a Chinese A4 document, form and list tables, signatures.

Used by build_templates.py only. Everything here exists so that a template opened in Word or WPS
looks like a form a Chinese office would print:

- A4, 2.54 cm top/bottom and 2.5 cm left/right margins (16 cm of text width);
- 宋体 body text and 黑体 headings through ``w:eastAsia`` on every style's ``rFonts`` (Latin text
  in Times New Roman / Arial), theme fonts removed so they cannot override them, and the East
  Asian language zh-CN (python-docx's default template says ja-JP in settings and en-US in styles);
- section headings numbered by Word itself (``一、`` or ``第一条``), so a section a template leaves
  out under ``{%p if %}`` never leaves a gap in the numbering;
- tables (docxtables.py) of fixed column widths that add up to the text width, and a signature
  block at the end: 角色 | 姓名 | 签字 | 日期, one row per ``signatures`` entry.
"""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

TEXT_WIDTH_CM = 16.0
BODY_FONT, HEADING_FONT = "宋体", "黑体"
BODY_LATIN, HEADING_LATIN = "Times New Roman", "Arial"
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_FONT_TABLE = {  # name → (Latin alias, panose) so Word/WPS/LibreOffice match the face everywhere
    "宋体": ("SimSun", "02010600030101010101"),
    "黑体": ("SimHei", "02010609060101010101"),
}


# --- the document -----------------------------------------------------------------------------


def new_document(*, heading_format: str = "%1、", title: str) -> DocumentObject:
    """An empty A4 document with Chinese styles; ``heading_format`` numbers Heading 1 (``第%1条``)."""
    doc = Document()
    _drop_extras(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(2.5)
    section.header_distance = section.footer_distance = Cm(1.5)
    _styles(doc)
    _numbering(doc, heading_format)
    _settings(doc)
    _font_table(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = f"itdocs 模板：{title}", "itdocs", "itdocs"
    props.comments = (
        "itdocs 的 docxtpl 模板，由 templates/build_templates.py 生成；变量见 itdocs/context.py。"
    )
    props.revision = 1
    props.created = props.modified = dt.datetime(2026, 1, 1)
    return doc


def _drop_extras(doc: DocumentObject) -> None:
    """Parts of python-docx's default template a clerk's file should not carry."""
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            del doc.part.rels[rel_id]
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[rel_id]


def _fonts(rpr, east_asia: str, latin: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _styles(doc: DocumentObject) -> None:
    styles = doc.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            fonts.attrib.pop(qn(attr), None)
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr_default, BODY_FONT, BODY_LATIN)
    ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    ppr_default.remove(ppr_default.find(qn("w:spacing")))
    ppr_default.append(
        parse_xml(f'<w:spacing {nsdecls("w")} w:after="0" w:line="312" w:lineRule="auto"/>')
    )
    _style(doc, "Normal", BODY_FONT, BODY_LATIN, 10.5)
    _style(
        doc,
        "Title",
        HEADING_FONT,
        HEADING_LATIN,
        18,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=6,
        after=6,
    )
    _style(doc, "Subtitle", BODY_FONT, BODY_LATIN, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    _style(doc, "Heading 1", HEADING_FONT, HEADING_LATIN, 14, before=12, after=6)
    _style(doc, "Heading 2", HEADING_FONT, HEADING_LATIN, 12, before=6, after=3)
    body = _style(doc, "Body Text", BODY_FONT, BODY_LATIN, 12, after=3)
    body.paragraph_format.first_line_indent = Pt(24)  # two characters of 小四
    body.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    _style(
        doc, "List Paragraph", BODY_FONT, BODY_LATIN, 12, after=0
    ).paragraph_format.left_indent = Pt(24)
    _style(doc, "Table Text", BODY_FONT, BODY_LATIN, 10.5, base="Normal")
    _style(
        doc,
        "Table Heading",
        HEADING_FONT,
        HEADING_LATIN,
        10.5,
        base="Normal",
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _style(doc, "Note", BODY_FONT, BODY_LATIN, 9, base="Normal", color="595959")
    for name in ("Header", "Footer"):
        _style(doc, name, BODY_FONT, BODY_LATIN, 9, color="595959")
    for name in ("Title", "Heading 1", "Heading 2"):
        ppr = doc.styles[name].element.get_or_add_pPr()
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)
        doc.styles[name].paragraph_format.keep_with_next = True


def _style(
    doc: DocumentObject,
    name: str,
    east_asia: str,
    latin: str,
    size: float,
    *,
    base: str | None = None,
    align: int | None = None,
    before: float = 0,
    after: float = 0,
    color: str = "000000",
):
    from docx.enum.style import WD_STYLE_TYPE

    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[base or "Normal"]
        style.quick_style = True
    _fonts(style.element.get_or_add_rPr(), east_asia, latin)
    font = style.font
    font.size = Pt(size)
    font.bold = False
    font.italic = False
    font.color.rgb = RGBColor.from_string(color)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if align is not None:
        fmt.alignment = align
    return style


def _numbering(doc: DocumentObject, heading_format: str) -> None:
    """Heading 1/2 numbered ``一、``/``（一）`` (or ``第一条``) in Chinese counting by Word."""
    numbering = doc.part.numbering_part.element
    abstract_id = 90
    suffix = "space" if heading_format.endswith("条") else "nothing"
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="multilevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading1"/>'
        f'<w:suff w:val="{suffix}"/><w:lvlText w:val="{heading_format}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading2"/>'
        '<w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )
    for level, name in enumerate(("Heading 1", "Heading 2")):
        ppr = doc.styles[name].element.get_or_add_pPr()
        for old in ppr.findall(qn("w:numPr")):
            ppr.remove(old)
        ppr.insert(
            0,
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
            ),
        )


def _settings(doc: DocumentObject) -> None:
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    for tag in ("w:savePreviewPicture", "w:rsids", "w:attachedTemplate"):
        node = settings.find(qn(tag))
        if node is not None:
            settings.remove(node)
    doc_id = settings.find(qn("w14:docId"))
    if doc_id is not None:
        settings.remove(doc_id)


def _font_table(doc: DocumentObject) -> None:
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = parse_xml(part.blob)
    for name, (alt, panose) in _FONT_TABLE.items():
        root.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
                '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
            )
        )
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def header_footer(doc: DocumentObject, header_text: str) -> None:
    """Header: the project and document (right, with a rule); footer: 第 X 页 共 Y 页."""
    section = doc.sections[0]
    head = section.header.paragraphs[0]
    head.text = header_text
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    head._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="1" w:color="808080"/></w:pBdr>'
        )
    )
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("第 ")
    _field(foot, "PAGE", "1")
    foot.add_run(" 页  共 ")
    _field(foot, "NUMPAGES", "1")
    foot.add_run(" 页")


def _field(paragraph, instruction: str, shown: str) -> None:
    for xml in (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {nsdecls('w')}><w:t>{shown}</w:t></w:r>",
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml))


# --- paragraphs -------------------------------------------------------------------------------


def para(
    doc: DocumentObject,
    text: str = "",
    *,
    style: str = "Body Text",
    align: int | None = None,
    keep: bool = False,
):
    paragraph = doc.add_paragraph(text, style=style)
    if align is not None:
        paragraph.alignment = align
    if keep:
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def tag(doc: DocumentObject, text: str) -> None:
    """A paragraph holding only a ``{%p … %}`` tag (docxtpl removes the paragraph when rendering)."""
    doc.add_paragraph(text, style="Normal")


def listing(doc: DocumentObject, expression: str, *, empty: str = "无。") -> None:
    """A numbered list of the strings in ``expression``, or ``empty`` when there are none."""
    tag(doc, f"{{%p for item in {expression} %}}")
    para(doc, "{{ loop.index }}. {{ item }}", style="List Paragraph")
    tag(doc, "{%p else %}")
    para(doc, empty, style="List Paragraph")
    tag(doc, "{%p endfor %}")


# --- a template's frame --------------------------------------------------------------------


def start(
    title: str, *, heading_format: str = "%1、", subtitle: str | None = None
) -> DocumentObject:
    doc = new_document(heading_format=heading_format, title=title)
    header_footer(doc, "{{ project.name }}　{{ doc.title }}")
    para(doc, title, style="Title")
    if subtitle:
        para(doc, subtitle, style="Subtitle")
    return doc


def heading(doc: DocumentObject, text: str) -> None:
    para(doc, text, style="Heading 1")


def body(doc: DocumentObject, text: str) -> None:
    para(doc, text)
