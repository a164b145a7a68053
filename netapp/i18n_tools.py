"""Keep the translation catalogs: one for the shared pages, one per domain.

`python -m netapp.i18n_tools extract` refreshes every catalog from the code and templates;
`python -m netapp.i18n_tools compile` builds the .mo files the app reads.
"""

# Runs the pybabel of this venv with fixed arguments.
import subprocess  # nosec B404
import sys
from pathlib import Path

from netapp import DOMAINS

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("da", "nb", "en")


def sources() -> dict[Path, list[Path]]:
    """Map each catalog folder to the files whose strings it holds."""
    shared = [p for p in (ROOT / "netapp").glob("*.py")]
    shared += [ROOT / "templates" / "base.html", ROOT / "templates" / "_macros.html"]
    shared += [ROOT / "templates" / "errors"]
    result = {ROOT / "netapp" / "translations": shared}
    for domain in DOMAINS:
        paths = [ROOT / "netapp" / domain, ROOT / "templates" / domain]
        result[ROOT / "netapp" / domain / "translations"] = [p for p in paths if p.exists()]
    return result


def _pybabel(*args: str) -> None:
    exe = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(exe), "-q", *args], check=True)  # noqa: S603  # nosec B603


DATE_LINES = ('"POT-Creation-Date:', '"PO-Revision-Date:')


def _without_dates(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith(DATE_LINES)]


def extract() -> None:
    """Write messages.pot per catalog and merge new strings into each language.

    A catalog whose only change would be its date header is left as it was, so
    extracting never makes merge conflicts out of nothing.
    """
    before = {p: p.read_text() for p in ROOT.glob("netapp/**/translations/**/*.po*")}
    _extract()
    for path, text in before.items():
        if path.exists() and _without_dates(path.read_text()) == _without_dates(text):
            path.write_text(text)


def _extract() -> None:
    for folder, paths in sources().items():
        folder.mkdir(exist_ok=True)
        pot = folder / "messages.pot"
        _pybabel("extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "--no-location", "-w", "100",
                 "--sort-output", "-o", str(pot), *map(str, paths))
        for locale in LOCALES:
            po = folder / locale / "LC_MESSAGES" / "messages.po"
            command = "update" if po.exists() else "init"
            _pybabel(command, "-i", str(pot), "-d", str(folder), "-l", locale, "-w", "100",
                     *(["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []))


def compile_all() -> None:
    """Build every .mo from its .po."""
    for folder in sources():
        if folder.is_dir() and any(folder.glob("*/LC_MESSAGES/messages.po")):
            _pybabel("compile", "-d", str(folder))


if __name__ == "__main__":
    {"extract": extract, "compile": compile_all}[sys.argv[1]]()
