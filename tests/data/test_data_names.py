"""Name harmonisation: OHSS spellings are canonical."""

from __future__ import annotations

import pytest

from borderflow.data import names


@pytest.mark.parametrize("raw, canonical", [
    ("tucson", "Tucson, AZ"), ("TUCSON", "Tucson, AZ"), ("Tucson Sector", "Tucson, AZ"),
    ("Tucson, AZ", "Tucson, AZ"), ("big_bend", "Big Bend, TX"), ("Big Bend Sector, TX",
                                                                  "Big Bend, TX"),
    ("rio_grande_valley", "Rio Grande Valley, TX"), ("RGV", "Rio Grande Valley, TX"),
    ("Marfa", "Big Bend, TX"), ("el_centro", "El Centro, CA"), ("SAN DIEGO", "San Diego, CA"),
    ("del_rio", "Del Rio, TX"), ("laredo", "Laredo, TX"), ("el_paso", "El Paso, TX"),
    ("yuma", "Yuma, AZ"), ("livermore", "Livermore, CA"), ("new_orleans", "New Orleans, LA"),
])
def test_sector_aliases(raw, canonical):
    assert names.sector(raw) == canonical


@pytest.mark.parametrize("raw", ["atlantis", "", "Tucson Field Office", "southwest_border"])
def test_unknown_sector(raw):
    assert names.sector(raw) is None


def test_sw_sectors_are_the_nine_ohss_names():
    assert names.SW_SECTORS == ("San Diego, CA", "El Centro, CA", "Yuma, AZ", "Tucson, AZ",
                                "El Paso, TX", "Big Bend, TX", "Del Rio, TX", "Laredo, TX",
                                "Rio Grande Valley, TX")
    assert all(names.region_of(s) == "Southwest Land Border" for s in names.SW_SECTORS)


@pytest.mark.parametrize("raw, canonical", [
    ("CHINA, PEOPLES REPUBLIC OF", "China, People's Republic"), ("EL SALVADOR", "El Salvador"),
    ("MYANMAR (BURMA)", "Burma"), ("GUATEMALA", "Guatemala"), ("Honduras", "Honduras"),
    ("KOREA, SOUTH", "Korea, South"), ("COTE D'IVOIRE", "Cote d'Ivoire"),
    ("VENEZUELA", "Venezuela"), ("turkey", "Turkey"), ("Czech Republic", "Czechia"),
])
def test_citizenship_aliases(raw, canonical):
    assert names.citizenship(raw) == canonical


def test_other_only_where_allowed():
    assert names.citizenship("OTHER") is None
    assert names.citizenship("OTHER", allow_other=True) == "Other"
    assert names.citizenship("Narnia", allow_other=True) is None


@pytest.mark.parametrize("raw, canonical", [
    ("Single Adults", "Single Adults"), ("FMUA", "Family Unit Individuals"),
    ("UC / Single Minors", "Unaccompanied Children"), ("UAC", "Unaccompanied Children"),
    ("Accompanied Minors", "Family Unit Individuals"),
    ("Family Unit Individuals", "Family Unit Individuals"),
])
def test_demographics(raw, canonical):
    assert names.demographic(raw) == canonical


def test_ohss_citizenship_names_in_bundled_store_are_canonical():
    import borderflow.data as bd

    df = bd.monthly("usbp_sw_encounters", by="citizenship")
    assert set(df["citizenship"]) <= set(names.OHSS_COUNTRIES)
    cbp = bd.monthly("cbp_nationwide_encounters_state", by="citizenship")
    assert set(cbp["citizenship"]) <= set(names.OHSS_COUNTRIES) | {names.OTHER}
    assert "China, People's Republic" in set(cbp["citizenship"])
