"""The OHSS book-out targets of the calibration objective (:mod:`borderflow.validate.objective`):
the share of USBP encounters USBP released, in all, by family status and by citizenship, and
the citizenship mix of the OFO paroles at the ports."""

from __future__ import annotations

import numpy as np

from borderflow.data import observed
from borderflow.data.observed import USBP_SW as SERIES
from borderflow.errors import InputError

RELEASES = "usbp_bookouts_usbp_releases"
BOOKED = "usbp_bookouts_total_encounters"


def release_share_targets(months: list[str]) -> dict[str, float]:
    """Month -> share of USBP Southwest encounters that USBP released into the U.S. (OHSS
    book-outs: releases / total encounters), for the months both are published."""
    rel = observed(RELEASES).to_series().dropna()
    enc = observed(BOOKED).to_series().dropna()
    share = (rel / enc.where(enc > 0)).dropna()
    return {mo: float(share[mo]) for mo in months if mo in share.index}


#: the groups whose release share is a target: family status (USBP releases by family status
#: over USBP encounters) and the eight largest citizenships the book-outs name (their "Other"
#: is not ours; Haitians and Chinese are too few at the calibration's scale for a monthly share)
RELEASE_GROUPS = (("demographic", ("Single Adults", "Family Unit Individuals")),
                  ("citizenship", ("Mexico", "Guatemala", "Honduras", "El Salvador", "Venezuela",
                                   "Colombia", "Ecuador", "Cuba")))
RELEASES_BY = "cbp_bookouts_usbp_releases"


def release_group_targets(months: list[str]) -> dict[tuple[str, str], dict[str, float]]:
    """(breakdown, key) -> {month: USBP releases / USBP Southwest encounters of the group}
    (OHSS book-outs by family status and by citizenship, :data:`RELEASE_GROUPS`), for the
    months of ``months`` where both are published and the group was encountered at least
    100 times."""
    out = {}
    span = (months[0], months[-1])
    for by, keys in RELEASE_GROUPS:
        try:
            rel = observed(RELEASES_BY, by, span=span).to_pandas()
        except InputError:
            continue
        enc = observed(SERIES, by, span=span).to_pandas()
        for key in keys:
            if key not in rel.columns or key not in enc.columns:
                continue
            share = {mo: float(rel.loc[mo, key] / enc.loc[mo, key]) for mo in months
                     if mo in rel.index and np.isfinite(rel.loc[mo, key])
                     and mo in enc.index and enc.loc[mo, key] >= 100.0}
            if share:
                out[(by, key)] = share
    return out


#: the citizenships the book-outs name for OFO paroles at the ports; the rest (their "Other"
#: and China, our Nicaragua, Peru, India, China and Other) is compared as one group
PORT_GROUPS = ("Mexico", "Guatemala", "Honduras", "El Salvador", "Venezuela", "Colombia",
               "Ecuador", "Cuba", "Haiti")
PAROLES_BY = "cbp_bookouts_ofo_paroles"


def port_groups(counts: np.ndarray, keys: list[str]) -> np.ndarray:
    """(months, :data:`PORT_GROUPS` + the rest) from counts over ``keys``: the named columns
    and the total less them."""
    counts = np.asarray(counts, float)
    named = np.stack([counts[:, keys.index(k)] for k in PORT_GROUPS], axis=1)
    return np.concatenate([named, counts.sum(axis=1, keepdims=True) - named.sum(
        axis=1, keepdims=True)], axis=1)


def port_parole_targets(months: list[str]) -> dict[str, np.ndarray]:
    """Month -> OFO paroles at the Southwest ports by :data:`PORT_GROUPS` and the rest (OHSS
    book-outs by citizenship), for the months of ``months`` where every named group is
    published and at least 1,000 were paroled."""
    try:
        frame = observed(PAROLES_BY, "citizenship", span=(months[0], months[-1])).to_pandas()
    except InputError:
        return {}
    out = {}
    for mo in months:
        if mo not in frame.index or any(k not in frame.columns for k in PORT_GROUPS):
            continue
        row = frame.loc[mo]
        named = row[list(PORT_GROUPS)]
        if named.isna().any():
            continue
        total = float(row.sum())                 # NaN (unpublished) columns are skipped
        if total >= 1000.0:
            out[mo] = np.append(named.to_numpy(float), max(total - float(named.sum()), 0.0))
    return out
