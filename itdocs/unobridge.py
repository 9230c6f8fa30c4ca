"""One persistent LibreOffice, converting the files it is sent on stdin to PDF.

Run by a Python that can ``import uno`` (Debian/Ubuntu: the system python3 with python3-uno;
LibreOffice's own ``program/python`` elsewhere), which need not be the Python itdocs runs in, so
this file imports nothing from itdocs. itdocs.pdfpool starts one per worker:

    python3 unobridge.py SOFFICE PROFILE_DIR PIPE_NAME

It starts ``soffice`` in its own process group with that profile, connects over the named pipe,
prints ``{"ready": true}`` and then answers each request line ``{"src": ..., "dst": ...}`` with
``{"ok": true}`` or ``{"ok": false, "error": ..., "fatal": ...}``. The PDF is written beside
``dst`` and renamed into place, so a killed conversion never leaves half a PDF. ``fatal`` means
LibreOffice is gone: the bridge exits and the pool starts a new one.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

START_SECONDS = 120


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _start(soffice: str, profile: str, pipe: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "FONTCONFIG_FILE": os.path.join(profile, "fonts.conf"),
        "SAL_USE_VCLPLUGIN": "svp",
        "HOME": profile,
    }
    command = [
        soffice,
        "-env:UserInstallation=" + uno.systemPathToFileUrl(os.path.join(profile, "user")),
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--norestore",
        "--nolockcheck",
        f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
    ]
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def _connect(pipe: str, office: subprocess.Popen) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
        except Exception:  # NoConnectException until soffice listens (a first start restarts once)
            if time.monotonic() > deadline:
                raise
            if office.poll() not in (None, 81):  # 81: restarting after creating the profile
                raise RuntimeError(f"soffice exited with {office.returncode}") from None
            time.sleep(0.1)


def _convert(desktop: object, src: str, dst: str) -> None:
    doc = desktop.loadComponentFromURL(  # type: ignore[attr-defined]
        uno.systemPathToFileUrl(os.path.abspath(src)),
        "_blank",
        0,
        (_prop("Hidden", True), _prop("ReadOnly", True)),
    )
    if doc is None:
        raise RuntimeError("LibreOffice could not open the file")
    try:
        sheet = doc.supportsService("com.sun.star.sheet.SpreadsheetDocument")
        partial = dst + ".part"
        doc.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(partial)),
            (_prop("FilterName", "calc_pdf_Export" if sheet else "writer_pdf_Export"),),
        )
        os.replace(partial, dst)
    finally:
        doc.close(True)


def _answer(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(soffice: str, profile: str, pipe: str) -> int:
    office = _start(soffice, profile, pipe)
    clean = False
    try:
        try:
            desktop = _connect(pipe, office)
        except Exception as exc:  # noqa: BLE001 - reported to the pool, which retries
            _answer({"ready": False, "error": f"{type(exc).__name__}: {exc}"})
            return 1
        _answer({"ready": True, "pid": office.pid})
        for line in sys.stdin:
            request = json.loads(line)
            try:
                _convert(desktop, request["src"], request["dst"])
                _answer({"ok": True})
            except Exception as exc:  # noqa: BLE001
                fatal = office.poll() is not None or "Disposed" in type(exc).__name__
                _answer({"ok": False, "error": f"{type(exc).__name__}: {exc}", "fatal": fatal})
                if fatal:
                    return 1
        with contextlib.suppress(Exception):  # it may be gone already
            desktop.terminate()  # type: ignore[attr-defined]
            clean = True
        return 0
    finally:
        try:
            office.wait(timeout=10 if clean else 0.1)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
