"""One module per source format, each with ``detect(header) -> bool`` and
``read(path) -> DataFrame`` in the tidy observations schema."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from borderflow.data.importers._csv import read_header
from borderflow.errors import InputError

_MODULES = ("ohss_usbp", "cbp_sbo", "cbp_nationwide", "usbp_fy2000_2020", "iom_mmp",
            "iom_extract", "pima_remains", "banxico", "worldbank", "undata_ppp", "who_gho",
            "reference_figures", "ohss_ielp", "ice_detention", "transcribed", "removal_flights")


def modules() -> list[ModuleType]:
    return [import_module(f"{__name__}.{name}") for name in _MODULES]


def detect_format(path) -> ModuleType:
    """The importer whose ``detect`` accepts the file's header row."""

    header, _ = read_header(path)
    found = [m for m in modules() if m.detect(header)]
    if not found:
        shown = ", ".join(header[:6]) + (", ..." if len(header) > 6 else "")
        known = "; ".join(m.NAME for m in modules())
        raise InputError(f"unrecognised columns: {shown}", file=str(path), line=1,
                         expected=f"the header of a known format ({known})")
    return found[0]


def read_any(path):
    """Detect the format of ``path`` and read it into tidy observations."""
    return detect_format(path).read(path)
