"""Reproducible generator for borderflow world/data/nodes.csv and edges.csv.

Coordinates: Natural Earth 10m populated places where the place is there, else
approximate coordinates (marked as estimates). km = great-circle x mode factor,
days = max(1, round(km / speed)). See SOURCES.md for the rules and references.
"""
import argparse
import csv
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NE = str(ROOT.parent / "shared/data/raw/natural_earth/ne_10m_populated_places_americas_subset.csv")
_ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
_ap.add_argument("out", nargs="?", default=str(ROOT / "src/borderflow/world/data"),
                 help="folder to write nodes.csv and edges.csv into")
OUT = Path(_ap.parse_args().out)

NE_SRC = "Natural Earth 10m populated places"
EST = "estimate: approximate coordinates"

ne = {}
for r in csv.DictReader(open(NE, encoding="utf-8")):
    ne[(r["adm0_a3"], r["nameascii"], r["adm1name"])] = (float(r["latitude"]), float(r["longitude"]))


def N(iso, name, adm1):
    lat, lon = ne[(iso, name, adm1)]
    return (round(lat, 4), round(lon, 4), NE_SRC)


def E(lat, lon, note=""):
    return (lat, lon, EST + (f" ({note})" if note else ""))


SD, EC, YU, TU, EP, BB, DR, LA, RGV = ("San Diego, CA", "El Centro, CA", "Yuma, AZ", "Tucson, AZ",
                                        "El Paso, TX", "Big Bend, TX", "Del Rio, TX", "Laredo, TX",
                                        "Rio Grande Valley, TX")

# id, name, kind, country, mx_state, coords, sector
NODES = [
    # --- origins
    ("gtm_huehuetenango", "Huehuetenango (Guatemala, western highlands)", "origin", "GTM", "", N("GTM", "Huehuetenango", "Huehuetenango"), ""),
    ("hnd_san_pedro_sula", "San Pedro Sula", "origin", "HND", "", N("HND", "San Pedro Sula", "Cortés"), ""),
    ("slv_san_salvador", "San Salvador", "origin", "SLV", "", N("SLV", "San Salvador", "San Salvador"), ""),
    ("nic_managua", "Managua (also air hub for Cubans/Haitians 2021-23)", "origin", "NIC", "", N("NIC", "Managua", "Managua"), ""),
    ("mx_michoacan", "Morelia (Michoacán)", "origin", "MEX", "Michoacán", N("MEX", "Morelia", "Michoacán"), ""),
    ("mx_guerrero", "Chilpancingo (Guerrero)", "origin", "MEX", "Guerrero", N("MEX", "Chilpancingo", "Guerrero"), ""),
    ("mx_oaxaca_mixteca", "Huajuapan de León (Oaxaca, Mixteca)", "origin", "MEX", "Oaxaca", N("MEX", "Huajuapan de Leon", "Oaxaca"), ""),
    ("mx_jalisco", "Lagos de Moreno (Jalisco, Los Altos)", "origin", "MEX", "Jalisco", N("MEX", "Lagos de Moreno", "Jalisco"), ""),
    ("mx_guanajuato", "Guanajuato (Guanajuato)", "origin", "MEX", "Guanajuato", N("MEX", "Guanajuato", "Guanajuato"), ""),
    ("mx_zacatecas", "Zacatecas (Zacatecas)", "origin", "MEX", "Zacatecas", N("MEX", "Zacatecas", "Zacatecas"), ""),
    ("mx_chiapas_highlands", "San Cristóbal de las Casas (Chiapas highlands)", "origin", "MEX", "Chiapas", N("MEX", "San Cristobal de Las Casas", "Chiapas"), ""),
    ("mx_puebla_mixteca", "Atlixco (Puebla)", "origin", "MEX", "Puebla", N("MEX", "Atlixco", "Puebla"), ""),
    ("mx_edomex", "Toluca (Estado de México)", "origin", "MEX", "Estado de México", N("MEX", "Toluca", "México"), ""),
    # --- Darién and isthmus chain
    ("col_necocli", "Necoclí", "darien", "COL", "", E(8.4260, -76.7840), ""),
    ("col_capurgana", "Capurganá / Acandí (Darién trailheads)", "isthmus", "COL", "", E(8.6333, -77.3500), ""),
    ("pan_bajo_chiquito", "Bajo Chiquito", "isthmus", "PAN", "", E(8.0600, -77.5600), ""),
    ("pan_lajas_blancas", "Lajas Blancas migrant reception station", "isthmus", "PAN", "", E(8.3500, -77.9300), ""),
    ("pan_paso_canoas", "Paso Canoas", "isthmus", "PAN", "", E(8.5333, -82.8333), ""),
    ("cri_penas_blancas", "Peñas Blancas", "isthmus", "CRI", "", E(11.2167, -85.6167), ""),
    ("hnd_trojes", "Trojes / Danlí (Las Manos border area)", "isthmus", "HND", "", E(14.0653, -85.9815), ""),
    ("hnd_choluteca", "Choluteca", "isthmus", "HND", "", N("HND", "Choluteca", "Choluteca"), ""),
    ("hnd_tegucigalpa", "Tegucigalpa", "isthmus", "HND", "", N("HND", "Tegucigalpa", "Francisco Morazán"), ""),
    ("hnd_agua_caliente", "Agua Caliente border (Nueva Ocotepeque)", "isthmus", "HND", "", N("HND", "Nueva Ocotepeque", "Ocotepeque"), ""),
    ("hnd_corinto", "Corinto border (Omoa)", "isthmus", "HND", "", E(15.5800, -88.3700), ""),
    ("gtm_guatemala_city", "Guatemala City", "isthmus", "GTM", "", N("GTM", "Guatemala", "Guatemala"), ""),
    ("gtm_flores", "Flores / Santa Elena (Petén)", "isthmus", "GTM", "", N("GTM", "Flores", "Petén"), ""),
    ("gtm_tecun_uman", "Tecún Umán", "isthmus", "GTM", "", E(14.6772, -92.1411), ""),
    # --- air arrivals
    ("mx_aicm", "Mexico City International Airport (AICM)", "air_arrival", "MEX", "Ciudad de México", E(19.4361, -99.0719), ""),
    ("mx_cancun", "Cancún International Airport", "air_arrival", "MEX", "Quintana Roo", E(21.0365, -86.8771), ""),
    # --- Mexico's southern entries
    ("mx_ciudad_hidalgo", "Ciudad Hidalgo (Suchiate river)", "southern_entry", "MEX", "Chiapas", E(14.6792, -92.1497), ""),
    ("mx_tapachula", "Tapachula (INM/COMAR processing hub)", "southern_entry", "MEX", "Chiapas", N("MEX", "Tapachula", "Chiapas"), ""),
    ("mx_ciudad_cuauhtemoc", "Ciudad Cuauhtémoc / La Mesilla", "southern_entry", "MEX", "Chiapas", E(15.6625, -91.9939), ""),
    ("mx_el_ceibo", "El Ceibo", "southern_entry", "MEX", "Tabasco", E(17.2600, -91.0000), ""),
    # --- transit
    ("mx_tenosique", "Tenosique", "transit", "MEX", "Tabasco", N("MEX", "Tenosique", "Tabasco"), ""),
    ("mx_palenque", "Palenque", "transit", "MEX", "Chiapas", E(17.5094, -91.9823), ""),
    ("mx_comitan", "Comitán", "transit", "MEX", "Chiapas", E(16.2511, -92.1339), ""),
    ("mx_tuxtla", "Tuxtla Gutiérrez", "transit", "MEX", "Chiapas", N("MEX", "Tuxtla Gutierrez", "Chiapas"), ""),
    ("mx_arriaga", "Arriaga (rail head)", "transit", "MEX", "Chiapas", E(16.2342, -93.8990), ""),
    ("mx_ixtepec", "Ciudad Ixtepec (rail)", "transit", "MEX", "Oaxaca", E(16.5611, -95.1006), ""),
    ("mx_oaxaca", "Oaxaca de Juárez", "transit", "MEX", "Oaxaca", N("MEX", "Oaxaca", "Oaxaca"), ""),
    ("mx_villahermosa", "Villahermosa", "transit", "MEX", "Tabasco", N("MEX", "Villahermosa", "Tabasco"), ""),
    ("mx_coatzacoalcos", "Coatzacoalcos", "transit", "MEX", "Veracruz", N("MEX", "Coatzacoalcos", "Veracruz"), ""),
    ("mx_medias_aguas", "Medias Aguas (rail junction)", "transit", "MEX", "Veracruz", E(17.6167, -95.0333), ""),
    ("mx_tierra_blanca", "Tierra Blanca (rail)", "transit", "MEX", "Veracruz", E(18.4483, -96.3594), ""),
    ("mx_orizaba", "Orizaba (rail)", "transit", "MEX", "Veracruz", N("MEX", "Orizaba", "Veracruz"), ""),
    ("mx_veracruz", "Veracruz", "transit", "MEX", "Veracruz", N("MEX", "Veracruz", "Veracruz"), ""),
    ("mx_puebla", "Puebla", "transit", "MEX", "Puebla", N("MEX", "Puebla", "Puebla"), ""),
    ("mx_cdmx", "Mexico City (bus terminals, Lechería rail yards)", "transit", "MEX", "Ciudad de México", N("MEX", "Mexico City", "Distrito Federal"), ""),
    ("mx_queretaro", "Querétaro", "transit", "MEX", "Querétaro", N("MEX", "Queretaro", "Querétaro"), ""),
    ("mx_irapuato", "Irapuato / Celaya (rail junction)", "transit", "MEX", "Guanajuato", N("MEX", "Irapuato", "Guanajuato"), ""),
    ("mx_slp", "San Luis Potosí", "transit", "MEX", "San Luis Potosí", N("MEX", "San Luis Potosi", "San Luis Potosí"), ""),
    ("mx_guadalajara", "Guadalajara", "transit", "MEX", "Jalisco", N("MEX", "Guadalajara", "Jalisco"), ""),
    ("mx_mazatlan", "Mazatlán", "transit", "MEX", "Sinaloa", N("MEX", "Mazatlan", "Sinaloa"), ""),
    ("mx_culiacan", "Culiacán", "transit", "MEX", "Sinaloa", N("MEX", "Culiacan", "Sinaloa"), ""),
    ("mx_hermosillo", "Hermosillo", "transit", "MEX", "Sonora", N("MEX", "Hermosillo", "Sonora"), ""),
    ("mx_altar", "Altar (staging town for El Sásabe)", "transit", "MEX", "Sonora", E(30.7136, -111.8350), ""),
    ("mx_torreon", "Torreón", "transit", "MEX", "Coahuila", N("MEX", "Torreon", "Coahuila"), ""),
    ("mx_chihuahua", "Chihuahua", "transit", "MEX", "Chihuahua", N("MEX", "Chihuahua", "Chihuahua"), ""),
    ("mx_saltillo", "Saltillo", "transit", "MEX", "Coahuila", N("MEX", "Saltillo", "Coahuila"), ""),
    ("mx_monclova", "Monclova", "transit", "MEX", "Coahuila", N("MEX", "Monclova", "Coahuila"), ""),
    ("mx_monterrey", "Monterrey", "transit", "MEX", "Nuevo León", N("MEX", "Monterrey", "Nuevo León"), ""),
    ("mx_tampico", "Tampico", "transit", "MEX", "Tamaulipas", N("MEX", "Tampico", "Tamaulipas"), ""),
    ("mx_ciudad_victoria", "Ciudad Victoria", "transit", "MEX", "Tamaulipas", N("MEX", "Ciudad Victoria", "Tamaulipas"), ""),
    # --- northern border cities
    ("mx_tijuana", "Tijuana", "border_city", "MEX", "Baja California", N("MEX", "Tijuana", "Baja California"), SD),
    ("mx_tecate", "Tecate", "border_city", "MEX", "Baja California", E(32.5725, -116.6264), SD),
    ("mx_mexicali", "Mexicali", "border_city", "MEX", "Baja California", N("MEX", "Mexicali", "Baja California"), EC),
    ("mx_slrc", "San Luis Río Colorado", "border_city", "MEX", "Sonora", E(32.4564, -114.7719), YU),
    ("mx_sonoyta", "Sonoyta", "border_city", "MEX", "Sonora", E(31.8617, -112.8544), TU),
    ("mx_sasabe", "El Sásabe", "border_city", "MEX", "Sonora", E(31.4700, -111.5440), TU),
    ("mx_nogales", "Nogales", "border_city", "MEX", "Sonora", N("MEX", "Nogales", "Sonora"), TU),
    ("mx_agua_prieta", "Agua Prieta", "border_city", "MEX", "Sonora", N("MEX", "Agua Prieta", "Sonora"), TU),
    ("mx_palomas", "Puerto Palomas", "border_city", "MEX", "Chihuahua", E(31.7719, -107.6269), EP),
    ("mx_ciudad_juarez", "Ciudad Juárez", "border_city", "MEX", "Chihuahua", N("MEX", "Ciudad Juarez", "Chihuahua"), EP),
    ("mx_ojinaga", "Ojinaga", "border_city", "MEX", "Chihuahua", N("MEX", "Ojinaga", "Chihuahua"), BB),
    ("mx_ciudad_acuna", "Ciudad Acuña", "border_city", "MEX", "Coahuila", E(29.3242, -100.9317), DR),
    ("mx_piedras_negras", "Piedras Negras", "border_city", "MEX", "Coahuila", N("MEX", "Piedras Negras", "Coahuila"), DR),
    ("mx_nuevo_laredo", "Nuevo Laredo", "border_city", "MEX", "Tamaulipas", N("MEX", "Nuevo Laredo", "Tamaulipas"), LA),
    ("mx_reynosa", "Reynosa", "border_city", "MEX", "Tamaulipas", N("MEX", "Reynosa", "Tamaulipas"), RGV),
    ("mx_matamoros", "Matamoros", "border_city", "MEX", "Tamaulipas", N("MEX", "Matamoros", "Tamaulipas"), RGV),
    # --- USBP Southwest sectors (HQ)
    ("sector_san_diego", "San Diego Sector HQ (Chula Vista)", "sector", "USA", "", E(32.6401, -117.0842), SD),
    ("sector_el_centro", "El Centro Sector HQ", "sector", "USA", "", N("USA", "El Centro", "California"), EC),
    ("sector_yuma", "Yuma Sector HQ", "sector", "USA", "", N("USA", "Yuma", "Arizona"), YU),
    ("sector_tucson", "Tucson Sector HQ", "sector", "USA", "", N("USA", "Tucson", "Arizona"), TU),
    ("sector_el_paso", "El Paso Sector HQ", "sector", "USA", "", N("USA", "El Paso", "Texas"), EP),
    ("sector_big_bend", "Big Bend Sector HQ (Marfa)", "sector", "USA", "", E(30.3094, -104.0206), BB),
    ("sector_del_rio", "Del Rio Sector HQ", "sector", "USA", "", N("USA", "Del Rio", "Texas"), DR),
    ("sector_laredo", "Laredo Sector HQ", "sector", "USA", "", N("USA", "Laredo", "Texas"), LA),
    ("sector_rgv", "Rio Grande Valley Sector HQ (Edinburg)", "sector", "USA", "", N("USA", "Edinburg", "Texas"), RGV),
    # --- ports of entry
    ("poe_san_ysidro", "San Ysidro port of entry", "port_of_entry", "USA", "", E(32.5424, -117.0297), SD),
    ("poe_tecate", "Tecate port of entry", "port_of_entry", "USA", "", E(32.5766, -116.6275), SD),
    ("poe_calexico", "Calexico West port of entry", "port_of_entry", "USA", "", E(32.6647, -115.4988), EC),
    ("poe_san_luis", "San Luis port of entry", "port_of_entry", "USA", "", E(32.4856, -114.7822), YU),
    ("poe_lukeville", "Lukeville port of entry", "port_of_entry", "USA", "", E(31.8808, -112.8156), TU),
    ("poe_sasabe", "Sasabe port of entry", "port_of_entry", "USA", "", E(31.4831, -111.5428), TU),
    ("poe_nogales", "Nogales (DeConcini) port of entry", "port_of_entry", "USA", "", E(31.3330, -110.9425), TU),
    ("poe_douglas", "Douglas port of entry", "port_of_entry", "USA", "", E(31.3340, -109.5600), TU),
    ("poe_columbus", "Columbus port of entry", "port_of_entry", "USA", "", E(31.7836, -107.6364), EP),
    ("poe_el_paso", "El Paso (Paso del Norte / Bridge of the Americas) port of entry", "port_of_entry", "USA", "", E(31.7565, -106.4889), EP),
    ("poe_presidio", "Presidio port of entry", "port_of_entry", "USA", "", E(29.5606, -104.3718), BB),
    ("poe_del_rio", "Del Rio port of entry", "port_of_entry", "USA", "", E(29.3267, -100.9277), DR),
    ("poe_eagle_pass", "Eagle Pass port of entry", "port_of_entry", "USA", "", E(28.7086, -100.5069), DR),
    ("poe_laredo", "Laredo (Gateway to the Americas) port of entry", "port_of_entry", "USA", "", E(27.5000, -99.5075), LA),
    ("poe_hidalgo", "Hidalgo port of entry", "port_of_entry", "USA", "", E(26.0953, -98.2711), RGV),
    ("poe_brownsville", "Brownsville (Gateway) port of entry", "port_of_entry", "USA", "", E(25.9011, -97.4973), RGV),
]

coords = {n[0]: n[5] for n in NODES}
kinds = {n[0]: n[2] for n in NODES}


def gc_km(a, b):
    (la1, lo1, _), (la2, lo2, _) = coords[a], coords[b]
    p1, p2 = math.radians(la1), math.radians(la2)
    dp, dl = p2 - p1, math.radians(lo2 - lo1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


FACTOR = {"bus": 1.3, "smuggler_vehicle": 1.3, "freight_rail": 1.35, "on_foot": 1.2, "river": 1.2, "air": 1.0}
SPEED = {"bus": 400, "smuggler_vehicle": 500, "freight_rail": 150, "on_foot": 25, "river": 50, "air": 1e9}
HAZ = {"bus": 2e-6, "smuggler_vehicle": 2e-5, "freight_rail": 5e-5, "on_foot": 1e-5, "river": 1e-5, "air": 1e-7}
COST_PER_KM = {"bus": 0.06, "smuggler_vehicle": 0.0, "freight_rail": 0.0, "on_foot": 0.0, "river": 0.0}

# reference keys (see SOURCES.md)
CHK_CHIAPAS = "checkpoints: Chiapas retenes list [C1]"
CHK_SUCH = "checkpoints: Suchiate-Tapachula retenes [C2]"
CHK_AP = "checkpoints: Ciudad Cuauhtémoc/Comitán [C3]"
CHK_TAB = "checkpoints: km-20 Villahermosa-Coatzacoalcos retén [C4] + estimate"
CHK_QRO = "checkpoints: Palmillas México-Querétaro [C5]"
CHK_EST = "checkpoints: estimate [C0]"

edges = []


def add(src, dst, mode, mx="", chk=0, *, km=None, days=None, cost=None, haz=None, crossing="",
        note="", km_src="", days_src="", cost_src="", haz_src=""):
    if src not in coords or dst not in coords:
        raise SystemExit(f"unknown node {src} {dst}")
    parts = []
    if km is None:
        km = gc_km(src, dst) * FACTOR[mode]
        km_src = f"km=great-circle x{FACTOR[mode]} [K1]"
    parts.append(km_src)
    if days is None:
        days = max(1, math.floor(km / SPEED[mode] + 0.5))
        days_src = f"days=km/{SPEED[mode]:g} per day [K2]" if mode != "air" else "days=1 (air) [K2]"
    parts.append(days_src)
    if cost is None:
        cost = max(5.0, COST_PER_KM[mode] * km) if mode == "bus" else (120.0 if mode == "air" else 0.0)
        cost_src = "cost=fare rule, estimate [F1]"
    parts.append(cost_src)
    if haz is None:
        haz = HAZ[mode]
        haz_src = "hazard=mode base rate, estimate [H1]"
    parts.append(haz_src)
    if chk:
        parts.append(note if note.startswith("checkpoints") else CHK_EST)
    if note and not note.startswith("checkpoints"):
        parts.append(note)
    assert all(parts), (src, dst, parts)
    edges.append(dict(src=src, dst=dst, mode=mode, km=round(km, 1), days=int(days), cost_usd=round(cost, 2),
                      hazard_per_day=haz, mx_state=mx, checkpoints=chk, crossing=crossing,
                      source="; ".join(parts)))


# ---------------- Darién and isthmus (no Mexican checkpoints) ----------------
add("col_necocli", "col_capurgana", "river", km=66.0, cost=50.0, km_src="km=41 miles cited [D1]",
    cost_src="cost=USD 50 boat cited [D1]")
add("col_capurgana", "pan_bajo_chiquito", "on_foot", km=113.0, days=6, cost=0.0, haz=2.0e-4,
    km_src="km=~70 miles cited [D2]", days_src="days=6, estimate from 2-10 days cited [D2]",
    cost_src="cost=0, guide fees are smuggling fees [F1]", haz_src="hazard estimate [H3]")
add("pan_bajo_chiquito", "pan_lajas_blancas", "river", cost=25.0, cost_src="cost=USD 25 piragua cited [D3]")
add("pan_lajas_blancas", "pan_paso_canoas", "bus", cost=60.0,
    cost_src="cost=USD 60 Panama controlled-flow bus cited [D3][D4] (about 40 before 2023)")
add("pan_paso_canoas", "cri_penas_blancas", "bus", cost=30.0, cost_src="cost=USD 30 Costa Rica transit bus cited [D5]")
add("cri_penas_blancas", "nic_managua", "bus")
add("nic_managua", "hnd_trojes", "bus")
add("nic_managua", "hnd_choluteca", "bus")
add("hnd_trojes", "hnd_tegucigalpa", "bus")
add("hnd_choluteca", "hnd_tegucigalpa", "bus")
add("hnd_choluteca", "slv_san_salvador", "bus")
add("hnd_tegucigalpa", "hnd_san_pedro_sula", "bus")
add("hnd_tegucigalpa", "hnd_agua_caliente", "bus")
add("hnd_san_pedro_sula", "hnd_agua_caliente", "bus")
add("hnd_san_pedro_sula", "hnd_corinto", "bus")
add("hnd_agua_caliente", "gtm_guatemala_city", "bus")
add("hnd_corinto", "gtm_flores", "bus")
add("hnd_corinto", "gtm_guatemala_city", "bus")
add("slv_san_salvador", "gtm_guatemala_city", "bus")
add("slv_san_salvador", "gtm_tecun_uman", "bus")
add("gtm_guatemala_city", "gtm_tecun_uman", "bus")
add("gtm_guatemala_city", "gtm_huehuetenango", "bus")
add("gtm_guatemala_city", "gtm_flores", "bus")
add("gtm_huehuetenango", "gtm_tecun_uman", "bus")
add("gtm_huehuetenango", "mx_ciudad_cuauhtemoc", "bus")
add("gtm_flores", "mx_el_ceibo", "bus")
add("gtm_tecun_uman", "mx_ciudad_hidalgo", "river", cost=3.0,
    cost_src="cost=USD 3 raft across the Suchiate, estimate [F1]")

# ---------------- Chiapas / Tabasco ----------------
add("mx_ciudad_hidalgo", "mx_tapachula", "bus", "Chiapas", 3, note=CHK_SUCH)
add("mx_ciudad_hidalgo", "mx_tapachula", "on_foot", "Chiapas", 1, note=CHK_SUCH)
add("mx_tapachula", "mx_arriaga", "bus", "Chiapas", 6, note=CHK_CHIAPAS)
add("mx_tapachula", "mx_arriaga", "on_foot", "Chiapas", 3, note=CHK_CHIAPAS)
add("mx_tapachula", "mx_cdmx", "smuggler_vehicle", "Chiapas", 10, note=CHK_CHIAPAS)
add("mx_ciudad_cuauhtemoc", "mx_comitan", "bus", "Chiapas", 2, note=CHK_AP)
add("mx_comitan", "mx_tuxtla", "bus", "Chiapas", 2, note=CHK_AP)
add("mx_chiapas_highlands", "mx_tuxtla", "bus", "Chiapas", 1)
add("mx_arriaga", "mx_tuxtla", "bus", "Chiapas", 3, note=CHK_CHIAPAS)
add("mx_arriaga", "mx_ixtepec", "freight_rail", km=153.0, km_src="km=153 cited (18 km/h, 16+ h) [R1]")
add("mx_arriaga", "mx_ixtepec", "bus", "Oaxaca", 2)
add("mx_tuxtla", "mx_villahermosa", "bus", "Chiapas", 1)
add("mx_tuxtla", "mx_coatzacoalcos", "bus", "Veracruz", 2)
add("mx_tuxtla", "mx_oaxaca", "bus", "Oaxaca", 2)
add("mx_el_ceibo", "mx_tenosique", "bus", "Tabasco", 1)
add("mx_el_ceibo", "mx_tenosique", "on_foot", "Tabasco", 0)
add("mx_tenosique", "mx_villahermosa", "bus", "Tabasco", 2)
add("mx_tenosique", "mx_palenque", "freight_rail")
add("mx_palenque", "mx_villahermosa", "bus", "Chiapas", 2)
add("mx_palenque", "mx_coatzacoalcos", "freight_rail")
add("mx_villahermosa", "mx_coatzacoalcos", "bus", "Tabasco", 2, note=CHK_TAB)
add("mx_villahermosa", "mx_reynosa", "smuggler_vehicle", "Veracruz", 8)
add("mx_cancun", "mx_villahermosa", "bus", "Campeche", 2)
# ---------------- Oaxaca / Veracruz / centre ----------------
add("mx_ixtepec", "mx_medias_aguas", "freight_rail")
add("mx_ixtepec", "mx_coatzacoalcos", "bus", "Oaxaca", 1)
add("mx_ixtepec", "mx_oaxaca", "bus", "Oaxaca", 2)
add("mx_coatzacoalcos", "mx_medias_aguas", "freight_rail")
add("mx_coatzacoalcos", "mx_veracruz", "bus", "Veracruz", 2)
add("mx_medias_aguas", "mx_tierra_blanca", "freight_rail")
add("mx_tierra_blanca", "mx_orizaba", "freight_rail")
add("mx_tierra_blanca", "mx_veracruz", "bus", "Veracruz", 1)
add("mx_orizaba", "mx_cdmx", "freight_rail")
add("mx_orizaba", "mx_puebla", "bus", "Veracruz", 1)
add("mx_oaxaca", "mx_puebla", "bus", "Oaxaca", 2)
add("mx_oaxaca_mixteca", "mx_puebla", "bus", "Oaxaca", 1)
add("mx_veracruz", "mx_puebla", "bus", "Veracruz", 1)
add("mx_veracruz", "mx_tampico", "bus", "Veracruz", 2)
add("mx_puebla_mixteca", "mx_puebla", "bus")
add("mx_puebla", "mx_cdmx", "bus")
add("mx_guerrero", "mx_cdmx", "bus")
add("mx_edomex", "mx_cdmx", "bus")
add("mx_edomex", "mx_queretaro", "bus")
add("mx_aicm", "mx_cdmx", "bus", km=15.0, cost=5.0, km_src="km=15 airport to city, estimate [K1]",
    cost_src="cost=USD 5, estimate [F1]")
add("mx_cdmx", "mx_queretaro", "bus", "Querétaro", 1, note=CHK_QRO)
add("mx_cdmx", "mx_irapuato", "freight_rail")
add("mx_cdmx", "mx_guadalajara", "bus")
add("mx_michoacan", "mx_irapuato", "bus")
add("mx_michoacan", "mx_queretaro", "bus")
add("mx_michoacan", "mx_guadalajara", "bus")
add("mx_guanajuato", "mx_irapuato", "bus")
add("mx_guanajuato", "mx_slp", "bus")
add("mx_jalisco", "mx_guadalajara", "bus")
add("mx_jalisco", "mx_slp", "bus")
add("mx_zacatecas", "mx_torreon", "bus")
add("mx_zacatecas", "mx_slp", "bus")
add("mx_zacatecas", "mx_guadalajara", "bus")
add("mx_queretaro", "mx_slp", "bus", "San Luis Potosí", 1)
add("mx_queretaro", "mx_slp", "freight_rail")
add("mx_queretaro", "mx_irapuato", "bus")
add("mx_irapuato", "mx_guadalajara", "freight_rail")
add("mx_irapuato", "mx_guadalajara", "bus")
add("mx_irapuato", "mx_torreon", "freight_rail", note="via Aguascalientes and Zacatecas")
# ---------------- north-east ----------------
add("mx_slp", "mx_saltillo", "bus", "San Luis Potosí", 1)
add("mx_slp", "mx_saltillo", "freight_rail")
add("mx_slp", "mx_monterrey", "bus", "Nuevo León", 1)
add("mx_saltillo", "mx_monterrey", "bus")
add("mx_saltillo", "mx_monterrey", "freight_rail")
add("mx_saltillo", "mx_monclova", "bus", "Coahuila", 1)
add("mx_saltillo", "mx_monclova", "freight_rail")
add("mx_torreon", "mx_saltillo", "bus")
add("mx_saltillo", "mx_torreon", "bus")
add("mx_guadalajara", "mx_torreon", "bus", note="via Zacatecas")
add("mx_monclova", "mx_piedras_negras", "bus", "Coahuila", 1)
add("mx_monclova", "mx_piedras_negras", "freight_rail")
add("mx_monclova", "mx_ciudad_acuna", "bus", "Coahuila", 1)
add("mx_monterrey", "mx_nuevo_laredo", "bus", "Nuevo León", 2)
add("mx_monterrey", "mx_nuevo_laredo", "freight_rail")
add("mx_monterrey", "mx_reynosa", "bus", "Tamaulipas", 1)
add("mx_monterrey", "mx_piedras_negras", "bus", "Coahuila", 1)
add("mx_tampico", "mx_ciudad_victoria", "bus", "Tamaulipas", 1)
add("mx_ciudad_victoria", "mx_matamoros", "bus", "Tamaulipas", 2)
add("mx_ciudad_victoria", "mx_reynosa", "bus", "Tamaulipas", 2)
add("mx_ciudad_victoria", "mx_monterrey", "bus", "Nuevo León", 1)
add("mx_reynosa", "mx_matamoros", "bus", "Tamaulipas", 1)
add("mx_matamoros", "mx_reynosa", "bus", "Tamaulipas", 1)
add("mx_piedras_negras", "mx_ciudad_acuna", "bus", "Coahuila", 1)
add("mx_ciudad_acuna", "mx_piedras_negras", "bus", "Coahuila", 1)
# ---------------- north-centre ----------------
add("mx_torreon", "mx_chihuahua", "bus", "Chihuahua", 1)
add("mx_torreon", "mx_chihuahua", "freight_rail")
add("mx_chihuahua", "mx_ciudad_juarez", "bus", "Chihuahua", 2)
add("mx_chihuahua", "mx_ciudad_juarez", "freight_rail")
add("mx_chihuahua", "mx_ojinaga", "bus", "Chihuahua", 1)
add("mx_chihuahua", "mx_palomas", "bus", "Chihuahua", 1, note="via Nuevo Casas Grandes")
add("mx_ciudad_juarez", "mx_palomas", "bus", "Chihuahua", 1)
add("mx_ciudad_juarez", "mx_agua_prieta", "bus", "Sonora", 1, note="via Janos (federal highway 2)")
# ---------------- Pacific / north-west ----------------
add("mx_guadalajara", "mx_mazatlan", "bus", "Nayarit", 1)
add("mx_guadalajara", "mx_mazatlan", "freight_rail", note="via Tepic")
add("mx_mazatlan", "mx_culiacan", "bus", "Sinaloa", 1)
add("mx_mazatlan", "mx_culiacan", "freight_rail")
add("mx_culiacan", "mx_hermosillo", "bus", "Sonora", 2)
add("mx_culiacan", "mx_hermosillo", "freight_rail")
add("mx_hermosillo", "mx_nogales", "bus", "Sonora", 1)
add("mx_hermosillo", "mx_nogales", "freight_rail")
add("mx_hermosillo", "mx_altar", "bus", "Sonora", 1)
add("mx_hermosillo", "mx_sonoyta", "bus", "Sonora", 1, note="via Caborca")
add("mx_hermosillo", "mx_agua_prieta", "bus", "Sonora", 1)
add("mx_hermosillo", "mx_mexicali", "freight_rail", note="via Benjamín Hill and Caborca")
add("mx_altar", "mx_sasabe", "smuggler_vehicle", km=100.0, cost=15.0,
    km_src="km=100 dirt road Altar-El Sásabe, estimate [K1]", cost_src="cost=USD 15 van fare, estimate [F1]")
add("mx_sonoyta", "mx_slrc", "bus", "Sonora", 1)
add("mx_slrc", "mx_mexicali", "bus", "Baja California", 1)
add("mx_mexicali", "mx_tijuana", "bus")
add("mx_mexicali", "mx_tecate", "bus")
add("mx_tecate", "mx_tijuana", "bus")
add("mx_tijuana", "mx_tecate", "bus")
add("mx_nogales", "mx_altar", "bus", "Sonora", 0)
# ---------------- air (domestic flights from the air arrivals) ----------------
add("mx_aicm", "mx_tijuana", "air", "Ciudad de México", 1, note="INM filter at the airport (estimate)")
add("mx_aicm", "mx_mexicali", "air", "Ciudad de México", 1, note="INM filter at the airport (estimate)")
add("mx_aicm", "mx_ciudad_juarez", "air", "Ciudad de México", 1, note="INM filter at the airport (estimate)")
add("mx_aicm", "mx_hermosillo", "air", "Ciudad de México", 1, note="INM filter at the airport (estimate)")
add("mx_aicm", "mx_monterrey", "air", "Ciudad de México", 1, note="INM filter at the airport (estimate)")
add("mx_cancun", "mx_cdmx", "air", "Quintana Roo", 1, note="INM filter at the airport (estimate)")
add("mx_cancun", "mx_tijuana", "air", "Quintana Roo", 1, note="INM filter at the airport (estimate)")

# ---------------- U.S. border crossings ----------------
SECTOR_NODE = {SD: "sector_san_diego", EC: "sector_el_centro", YU: "sector_yuma", TU: "sector_tucson",
               EP: "sector_el_paso", BB: "sector_big_bend", DR: "sector_del_rio", LA: "sector_laredo",
               RGV: "sector_rgv"}
sector_of = {n[0]: n[6] for n in NODES}


def cross(city, kind, mode="on_foot", days=1, haz=5e-5, what=""):
    dst = SECTOR_NODE[sector_of[city]]
    km = gc_km(city, dst) * 1.2
    rule = "km=great-circle to sector HQ x1.2 [K1]"
    if kind == "remote":
        km += 25.0 * days
        rule += " + 25 km per day walked on the detour [K3]"
    add(city, dst, mode, km=km, days=days, cost=0.0, haz=haz, crossing=kind, note=what, km_src=rule,
        days_src=f"days={days} for a {kind} crossing, estimate [K3]", cost_src="cost=0, no fare [F1]",
        haz_src=f"hazard {kind} crossing, estimate [H2]")


def port(city, poe):
    km = max(1.0, gc_km(city, poe) * 1.2)
    add(city, poe, "on_foot", km=round(km, 1), days=1, cost=0.0, haz=1e-6, crossing="port",
        note="walk to the port", km_src="km=great-circle to the port x1.2, min 1 [K1]",
        days_src="days=1 for a port crossing [K3]", cost_src="cost=0, no fare [F1]",
        haz_src="hazard port walk, estimate [H2]")


URB_FOOT, URB_RIVER = 5e-5, 1e-4
cross("mx_tijuana", "urban", what="Tijuana-San Diego fence")
port("mx_tijuana", "poe_san_ysidro")
cross("mx_tecate", "remote", days=3, haz=3e-4, what="Tecate mountains / Otay")
port("mx_tecate", "poe_tecate")
cross("mx_mexicali", "urban", what="Mexicali-Calexico fence")
cross("mx_mexicali", "remote", days=3, haz=4e-4, what="Imperial Valley desert / Jacumba")
port("mx_mexicali", "poe_calexico")
cross("mx_slrc", "urban", what="San Luis Río Colorado-San Luis AZ fence")
cross("mx_slrc", "remote", days=3, haz=4e-4, what="Yuma desert east (Tinajas Altas)")
port("mx_slrc", "poe_san_luis")
cross("mx_sonoyta", "remote", days=5, haz=4.5e-4, what="west desert (Organ Pipe, Tohono O'odham Nation)")
port("mx_sonoyta", "poe_lukeville")
cross("mx_sasabe", "remote", days=4, haz=4e-4, what="Altar Valley / Baboquivari")
port("mx_sasabe", "poe_sasabe")
cross("mx_nogales", "urban", what="Nogales fence")
cross("mx_nogales", "remote", days=3, haz=3.5e-4, what="Santa Cruz County mountains (Pajarito/Atascosa)")
port("mx_nogales", "poe_nogales")
cross("mx_agua_prieta", "urban", what="Agua Prieta-Douglas fence")
cross("mx_agua_prieta", "remote", days=3, haz=3e-4, what="Cochise County (San Bernardino Valley)")
port("mx_agua_prieta", "poe_douglas")
cross("mx_palomas", "remote", days=3, haz=3e-4, what="New Mexico bootheel desert (Columbus/Deming)")
port("mx_palomas", "poe_columbus")
cross("mx_ciudad_juarez", "urban", what="Juárez-El Paso fence and canal")
cross("mx_ciudad_juarez", "remote", days=2, haz=2.5e-4, what="Sunland Park / Mount Cristo Rey desert")
port("mx_ciudad_juarez", "poe_el_paso")
cross("mx_ojinaga", "remote", days=4, haz=3.5e-4, what="Big Bend river and mountains")
port("mx_ojinaga", "poe_presidio")
cross("mx_ciudad_acuna", "urban", mode="river", haz=URB_RIVER, what="Rio Grande at Del Rio")
port("mx_ciudad_acuna", "poe_del_rio")
cross("mx_piedras_negras", "urban", mode="river", haz=URB_RIVER, what="Rio Grande at Eagle Pass")
cross("mx_piedras_negras", "remote", mode="river", days=3, haz=3.5e-4, what="river and Maverick/Kinney County ranchland")
port("mx_piedras_negras", "poe_eagle_pass")
cross("mx_nuevo_laredo", "urban", mode="river", haz=URB_RIVER, what="Rio Grande at Laredo")
cross("mx_nuevo_laredo", "remote", mode="river", days=3, haz=3e-4, what="river and Webb County brush around the I-35 checkpoint")
port("mx_nuevo_laredo", "poe_laredo")
cross("mx_reynosa", "urban", mode="river", haz=URB_RIVER, what="Rio Grande at Hidalgo/McAllen")
cross("mx_reynosa", "remote", mode="river", days=4, haz=4e-4, what="river and Brooks County brush around the Falfurrias checkpoint")
port("mx_reynosa", "poe_hidalgo")
cross("mx_matamoros", "urban", mode="river", haz=URB_RIVER, what="Rio Grande at Brownsville")
cross("mx_matamoros", "remote", mode="river", days=3, haz=3e-4, what="river and Cameron/Kenedy County brush")
port("mx_matamoros", "poe_brownsville")

# ---------------- write ----------------
OUT.mkdir(parents=True, exist_ok=True)
with open(OUT / "nodes.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["id", "name", "kind", "country", "mx_state", "lat", "lon", "sector", "source"])
    for nid, name, kind, iso, mx, (lat, lon, src), sec in NODES:
        w.writerow([nid, name, kind, iso, mx, f"{lat:.4f}", f"{lon:.4f}", sec, src])
cols = ["src", "dst", "mode", "km", "days", "cost_usd", "hazard_per_day", "mx_state", "checkpoints",
        "crossing", "source"]
with open(OUT / "edges.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for e in edges:
        e = dict(e)
        e["hazard_per_day"] = f"{e['hazard_per_day']:.1e}".replace("e-0", "e-")
        w.writerow(e)
print(len(NODES), "nodes,", len(edges), "edges")
