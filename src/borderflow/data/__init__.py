"""Official observations: importers for CBP/OHSS, IOM, Banxico, World Bank, UN and WHO files,
one tidy store (bundled Parquet snapshot + user imports), and queries; :func:`observed` is
the analysis' one reader (a dense monthly DataArray, cut at an origin).

>>> import borderflow.data as bd
>>> bd.monthly("usbp_sw_encounters", start="2023-12", end="2024-01")  # doctest: +SKIP
>>> bd.observed("usbp_sw_encounters", "sector", span=("2023-01", "2023-12"))  # doctest: +SKIP
"""

from borderflow.data.events import removal_flights
from borderflow.data.observed import observed
from borderflow.data.query import monthly, observations
from borderflow.data.storage import store, user_data_dir
from borderflow.data.userstore import export, import_files, list_series

__all__ = ["store", "observations", "monthly", "observed", "import_files", "export",
           "list_series", "user_data_dir", "removal_flights"]
