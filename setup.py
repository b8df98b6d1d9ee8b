"""Build step of the package (the rest is in pyproject.toml): compile the interface's gettext catalogues
(pb_ledger/locale/*/LC_MESSAGES/messages.po) to .mo files, for a wheel and for an editable install alike."""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path("pb_ledger") / "locale"


def compile_catalogues(target_root: Path) -> list[str]:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as f:
            catalogue = read_po(f, locale=po.parts[-3])
        mo = target_root / po.with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as f:
            write_mo(f, catalogue)
        written.append(str(mo))
    return written


class build_py_with_catalogues(build_py):
    """Compile the catalogues into the build (a wheel) or, in an editable install, beside the .po files."""

    def run(self) -> None:
        super().run()
        root = Path(".") if self.editable_mode else Path(self.build_lib)
        self._mo_files = compile_catalogues(root)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), *getattr(self, "_mo_files", [])]


setup(cmdclass={"build_py": build_py_with_catalogues})
