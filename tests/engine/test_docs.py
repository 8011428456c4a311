import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_parameter_table_is_current():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_param_table.py"),
                           "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_every_entry_has_unit_source_and_doc():
    from borderflow.scenario.registry import LEVERS, PARAMETERS

    for e in [*LEVERS.values(), *PARAMETERS.values()]:
        assert e.source and e.doc and e.mechanism, e.name
