"""Harmonised names: OHSS spellings are canonical for sectors, citizenships and demographics.

Every label is matched by one canonical name per category: case, surrounding and repeated
whitespace and accents do not matter (``'MEXICO'``, ``' México '`` -> ``'Mexico'``), and an
alias table maps other spellings (``'MYANMAR (BURMA)'`` -> ``'Burma'``). An importer compares
rows by these canonical names, so two spellings of one cell in a file are a duplicate."""

from __future__ import annotations

import re
import unicodedata

from borderflow.errors import closest

SW_SECTORS = ("San Diego, CA", "El Centro, CA", "Yuma, AZ", "Tucson, AZ", "El Paso, TX",
              "Big Bend, TX", "Del Rio, TX", "Laredo, TX", "Rio Grande Valley, TX")
NORTHERN_SECTORS = ("Blaine, WA", "Buffalo, NY", "Detroit, MI", "Grand Forks, ND", "Havre, MT",
                    "Houlton, ME", "Livermore, CA", "Spokane, WA", "Swanton, VT")
COASTAL_SECTORS = ("Miami, FL", "New Orleans, LA", "Ramey, PR")
REGIONS = {"Southwest Land Border": SW_SECTORS, "Northern Land Border": NORTHERN_SECTORS,
           "Coastal Border": COASTAL_SECTORS}
SECTORS = SW_SECTORS + NORTHERN_SECTORS + COASTAL_SECTORS
# Former sector names and common abbreviations.
_SECTOR_ALIASES = {"marfa": "Big Bend, TX", "mcallen": "Rio Grande Valley, TX",
                   "rgv": "Rio Grande Valley, TX", "sdc": "San Diego, CA", "tca": "Tucson, AZ",
                   "yum": "Yuma, AZ", "ebp": "El Paso, TX", "elp": "El Paso, TX",
                   "drt": "Del Rio, TX", "lrt": "Laredo, TX", "bbt": "Big Bend, TX",
                   "elc": "El Centro, CA"}
_REGION_ALIASES = {"southwest": "Southwest Land Border",
                   "southwest_border": "Southwest Land Border",
                   "southwest_land_border": "Southwest Land Border",
                   "northern": "Northern Land Border", "northern_border": "Northern Land Border",
                   "northern_land_border": "Northern Land Border", "coastal": "Coastal Border",
                   "coastal_border": "Coastal Border"}

DEMOGRAPHICS = ("Single Adults", "Family Unit Individuals", "Unaccompanied Children")
_DEMOGRAPHIC_ALIASES = {
    "single adults": "Single Adults", "single adult": "Single Adults", "sa": "Single Adults",
    "family unit individuals": "Family Unit Individuals", "fmua": "Family Unit Individuals",
    "individuals in a family unit": "Family Unit Individuals",
    "family units": "Family Unit Individuals", "fmu": "Family Unit Individuals",
    # CBP reports minors travelling with a parent or guardian (OFO only) as "Accompanied Minors";
    # they are neither single adults nor unaccompanied, so they join the family-unit group
    # (``_DEMOGRAPHIC_FOLDS``), but stay a category of their own within a file.
    "accompanied minors": "Accompanied Minors", "am": "Accompanied Minors",
    "unaccompanied children": "Unaccompanied Children", "uac": "Unaccompanied Children",
    "uc": "Unaccompanied Children", "uc / single minors": "Unaccompanied Children",
    "uc/single minors": "Unaccompanied Children", "single minors": "Unaccompanied Children",
    "unaccompanied alien children": "Unaccompanied Children",
    "unaccompanied children single minors": "Unaccompanied Children",  # OHSS book-out slug
}
_DEMOGRAPHIC_FOLDS = {"Accompanied Minors": "Family Unit Individuals"}
# The labels shown when a demographic is unknown (CBP's and OHSS's).
DEMOGRAPHIC_LABELS = ("Single Adults", "FMUA", "Family Unit Individuals", "UC / Single Minors",
                      "UAC", "Unaccompanied Children", "Accompanied Minors")
# ICE's criminality classes (detention statistics and the OHSS book-out tables). ICE's FY2019
# population table has "Non-Criminal" where later years split pending charges from other
# immigration violators.
CRIMINALITY = ("Convicted Criminal", "Pending Criminal Charges", "Other Immigration Violator",
               "Non-Criminal")
_CRIMINALITY_ALIASES = {
    "convicted criminal": "Convicted Criminal", "convicted criminals": "Convicted Criminal",
    "pending criminal charges": "Pending Criminal Charges",
    "other immigration violator": "Other Immigration Violator",
    "other immigration violators": "Other Immigration Violator",
    "non criminal": "Non-Criminal",
}

OHSS_COUNTRIES = (
    "Afghanistan", "Albania", "Algeria", "Angola", "Antigua and Barbuda", "Argentina", "Armenia",
    "Australia", "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus",
    "Belgium", "Belize", "Benin", "Bolivia", "Bosnia and Herzegovina", "Brazil", "Bulgaria",
    "Burkina Faso", "Burma", "Burundi", "Cabo Verde", "Cambodia", "Cameroon", "Canada",
    "Central African Republic", "Chad", "Chile", "China, People's Republic", "Colombia",
    "Congo, Democratic Republic", "Congo, Republic", "Costa Rica", "Cote d'Ivoire", "Croatia",
    "Cuba", "Czechia", "Denmark", "Djibouti", "Dominica", "Dominican Republic", "Ecuador", "Egypt",
    "El Salvador", "Equatorial Guinea", "Eritrea", "Estonia", "Ethiopia", "Fiji", "France",
    "Gabon", "Gambia", "Georgia", "Germany", "Ghana", "Greece", "Grenada", "Guatemala", "Guinea",
    "Guinea-Bissau", "Guyana", "Haiti", "Honduras", "Hungary", "India", "Indonesia", "Iran",
    "Iraq", "Ireland", "Israel", "Italy", "Jamaica", "Japan", "Jordan", "Kazakhstan", "Kenya",
    "Korea, South", "Kosovo", "Kuwait", "Kyrgyzstan", "Laos", "Latvia", "Lebanon", "Liberia",
    "Libya", "Lithuania", "Malaysia", "Mali", "Mauritania", "Mauritius", "Mexico",
    "Micronesia, Federated States", "Moldova", "Mongolia", "Montenegro", "Morocco", "Mozambique",
    "Namibia", "Nepal", "Netherlands", "New Zealand", "Nicaragua", "Niger", "Nigeria",
    "North Macedonia", "Norway", "Pakistan", "Panama", "Paraguay", "Peru", "Philippines",
    "Poland", "Portugal", "Qatar", "Romania", "Russia", "Rwanda", "Saint Lucia",
    "Saint Vincent and the Grenadines", "Saudi Arabia", "Senegal", "Serbia",
    "Serbia and Montenegro (former)", "Sierra Leone", "Singapore", "Slovakia", "Somalia",
    "South Africa", "Spain", "Sri Lanka", "Sudan", "Suriname", "Sweden", "Switzerland", "Syria",
    "Taiwan", "Tajikistan", "Tanzania", "Thailand", "Togo", "Tonga", "Trinidad and Tobago",
    "Tunisia", "Turkey", "Turkmenistan", "Uganda", "Ukraine", "United Kingdom", "United States",
    "Unknown", "Uruguay", "Uzbekistan", "Venezuela", "Vietnam", "Yemen", "Zambia", "Zimbabwe",
)
# Not yet seen in the OHSS files, spelled in the same style, accepted so that a newer release
# with a first encounter from one of these countries still imports.
EXTRA_COUNTRIES = (
    "Andorra", "Austria", "Bhutan", "Botswana", "Brunei", "Comoros", "Cyprus", "Eswatini",
    "Finland", "Iceland", "Kiribati", "Korea, North", "Lesotho", "Liechtenstein", "Luxembourg",
    "Madagascar", "Malawi", "Maldives", "Malta", "Marshall Islands", "Monaco", "Nauru", "Oman",
    "Palau", "Papua New Guinea", "Saint Kitts and Nevis", "Samoa", "San Marino",
    "Sao Tome and Principe", "Seychelles", "Slovenia", "Solomon Islands", "South Sudan",
    "Stateless", "Timor-Leste", "Tuvalu", "United Arab Emirates", "Vanuatu",
)
OTHER = "Other"  # CBP's residual group ("OTHER", "Other"); not an OHSS country
_COUNTRY_ALIASES = {
    "CHINA PEOPLES REPUBLIC OF": "China, People's Republic", "CHINA": "China, People's Republic",
    "PEOPLES REPUBLIC OF CHINA": "China, People's Republic", "MYANMAR BURMA": "Burma",
    "MYANMAR": "Burma", "KOREA SOUTH": "Korea, South", "SOUTH KOREA": "Korea, South",
    "KOREA REPUBLIC OF": "Korea, South", "NORTH KOREA": "Korea, North",
    "CONGO DEMOCRATIC REPUBLIC OF THE": "Congo, Democratic Republic",
    "CONGO DEMOCRATIC REPUBLIC OF": "Congo, Democratic Republic",
    "CONGO REPUBLIC OF THE": "Congo, Republic", "CZECH REPUBLIC": "Czechia",
    "MACEDONIA": "North Macedonia", "IVORY COAST": "Cote d'Ivoire", "TURKIYE": "Turkey",
    "CAPE VERDE": "Cabo Verde", "RUSSIAN FEDERATION": "Russia", "VIET NAM": "Vietnam",
    "SWAZILAND": "Eswatini", "UNITED STATES OF AMERICA": "United States",
    "OTHER": OTHER, "ALL OTHERS": OTHER, "OTHER COUNTRIES": OTHER,
}


def fold(text: str) -> str:
    """``text`` without accents (NFKD, combining marks dropped): ``'México'`` -> ``'Mexico'``;
    fullwidth letters become ASCII."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def label_key(text: str) -> str:
    """The matching key of a label: accents folded, case ignored, whitespace collapsed."""
    return " ".join(fold(text).casefold().split())


def citizenship_key(name: str) -> str:
    """The matching key of a country name: accents folded, upper case, punctuation as
    blanks (``"Cote d'Ivoire"`` -> ``'COTE DIVOIRE'``)."""
    return " ".join(re.sub(r"[^A-Z0-9 ]", " ", fold(name).upper().replace("'", "")).split())


_country_key = citizenship_key


def _sector_key(name: str) -> str:
    text = fold(name).lower().replace("sector", " ")
    text = re.sub(r",?\s*\b(ca|az|tx|nm|wa|ny|mi|nd|mt|me|vt|fl|la|pr)\b\.?\s*$", "", text.strip())
    return "_".join(re.findall(r"[a-z0-9]+", text))


def _build_country_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for name in OHSS_COUNTRIES + EXTRA_COUNTRIES:
        key = _country_key(name)
        if key in table:  # one canonical name per spelling
            raise ValueError(f"{name!r} and {table[key]!r} share the spelling {key!r}")
        table[key] = name
    for alias, name in _COUNTRY_ALIASES.items():
        if table.get(alias, name) != name:
            raise ValueError(f"alias {alias!r} would rename the country {table[alias]!r}")
        table[alias] = name
    return table


def _build_sector_table() -> dict[str, str]:
    table = {_sector_key(n): n for n in SECTORS}
    table.update(_SECTOR_ALIASES)
    return table


def citizenship(name: str, allow_other: bool = False) -> str | None:
    """OHSS spelling of a citizenship (``'CHINA, PEOPLES REPUBLIC OF'`` -> ``"China, People's
    Republic"``), or None if unknown. ``"Other"`` is accepted only when ``allow_other``."""
    found = _COUNTRIES.get(_country_key(name)) if name.strip() else None
    if found == OTHER and not allow_other:
        return None
    return found


def citizenship_hint(name: str, allow_other: bool = False) -> str:
    """Why ``name`` is not a known citizenship: ``"ambiguous: 'KOREA' could be 'Korea,
    North' or 'Korea, South'"`` when its words begin or end several country names, else
    ``"did you mean 'Mexico'?"`` for a near miss, else ``""``."""
    key = _country_key(name)
    if not key:
        return ""
    words = sorted({n for k, n in _COUNTRIES.items() if n != OTHER
                    and (k.startswith(key + " ") or k.endswith(" " + key))})
    if len(words) > 1:
        return f"ambiguous: {name!r} could be " + " or ".join(map(repr, words))
    allowed = OHSS_COUNTRIES + EXTRA_COUNTRIES + ((OTHER,) if allow_other else ())
    match = closest(name, allowed) or (words[0] if words else None)
    return f"did you mean {match!r}?" if match else ""


def sector(name: str) -> str | None:
    """OHSS spelling of a Border Patrol sector (``'big_bend'``, ``'TUCSON'``,
    ``'Tucson Sector'`` -> ``'Tucson, AZ'``), or None if unknown."""
    return _SECTORS.get(_sector_key(name)) if name.strip() else None


def region(name: str) -> str | None:
    """OHSS region name (``'Southwest Land Border'``, ...), or None if unknown."""
    if name.strip() in REGIONS:
        return name.strip()
    return _REGION_ALIASES.get("_".join(re.findall(r"[a-z0-9]+", fold(name).lower())))


def demographic_category(name: str) -> str | None:
    """The category a demographic label names, before categories are merged: ``'FMUA'`` ->
    ``'Family Unit Individuals'``, ``'Accompanied Minors'`` stays itself. Two rows of one
    file with the same category are the same cell."""
    return _DEMOGRAPHIC_ALIASES.get(label_key(name.replace("_", " ")))


def demographic(name: str) -> str | None:
    """OHSS family-status group for a CBP or OHSS demographic label (``'FMUA'``,
    ``'single_adults'``, ``'Accompanied Minors'`` -> ``'Family Unit Individuals'``), or None
    if unknown."""
    category = demographic_category(name)
    return _DEMOGRAPHIC_FOLDS.get(category, category)


def criminality(name: str) -> str | None:
    """ICE criminality class (``'convicted_criminal'``, ``'criminality_convicted_criminals'``
    -> ``'Convicted Criminal'``), or None if unknown."""
    key = label_key(name.replace("_", " ").replace("-", " "))
    return _CRIMINALITY_ALIASES.get(key.removeprefix("criminality "))


def region_of(sector_name: str) -> str:
    """The OHSS region of a canonical sector name."""
    return next(r for r, members in REGIONS.items() if sector_name in members)


_COUNTRIES = _build_country_table()
_SECTORS = _build_sector_table()
