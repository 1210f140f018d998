"""Compile the translation catalogues (.po to .mo) with polib, so no system gettext is needed.

The .mo files are build output and are not committed.
"""

from __future__ import annotations

from pathlib import Path

import polib  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent.parent


def main() -> None:
    for po_path in sorted([*ROOT.glob("locale/*/LC_MESSAGES/*.po"), *ROOT.glob("vendor_locale/*/LC_MESSAGES/*.po")]):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        print(f"compiled {mo_path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
