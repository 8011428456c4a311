"""A fuzz corpus of hostile scenario files (tests/scenario_corpus/): each is refused by
``scenario validate`` and ``run`` with exit code 2, one screen, no traceback, naming the
file and what its first line ``# expect: a | b`` lists, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from borderflow.errors import InputError
from borderflow.scenario import load_scenario, parse_scenario
from borderflow.scenario.load import MAX_BYTES

CORPUS = Path(__file__).resolve().parents[1] / "scenario_corpus"
FILES = sorted(p.name for p in CORPUS.glob("*.yaml"))
GOOD = 'id: t\ntitle: T\nstart: "2019-01"\nend: "2019-03"\n'


def _expected(path: Path) -> list[str]:
    head = path.read_bytes().split(b"\n", 1)[0].decode()
    assert head.startswith("# expect: "), path
    return [s.strip() for s in head.removeprefix("# expect: ").split("|")]


def test_corpus_is_there():
    assert len(FILES) >= 25


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("command", ["validate", "run"])
def test_hostile_scenario_is_refused(cli, tmp_path, name, command):
    path = CORPUS / name
    args = (["scenario", "validate", path] if command == "validate"
            else ["run", path, "--scale", "100", "--out", tmp_path / "out"])
    code, out, err = cli(args)
    assert code == 2, out + err
    assert "Traceback" not in out + err and "owned" not in out + err
    assert name in err
    for needle in _expected(path):
        assert needle in err, (needle, err)
    assert len(err.splitlines()) < 30
    assert not (tmp_path / "out").exists()


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(GOOD + "sources:\n" + "  - padding padding padding\n" * (MAX_BYTES // 20))
    with pytest.raises(InputError) as exc:
        load_scenario(path)
    assert "big.yaml" in str(exc.value) and "1 MB" in str(exc.value)
    with pytest.raises(InputError, match="larger than"):
        parse_scenario(path.read_text(), origin="big.yaml")


def test_user_indices_after_a_base():
    """The base's 49 events come first in the merged timeline; errors count the user's."""
    text = ("base: historical\nid: t\ntitle: T\ntimeline:\n"
            "  - {date: 2019-02-01, lever: us_mpp_share, value: 0.1, source: somewhere}\n"
            "  - {date: 2019-02-01, lever: us_mpp_share, value: 7, source: somewhere}\n")
    with pytest.raises(InputError) as exc:
        parse_scenario(text, origin="u.yaml")
    assert "timeline.1.value" in str(exc.value)
    assert len(load_scenario("historical").timeline) > 2
    assert f"timeline.{len(load_scenario('historical').timeline) + 1}" not in str(exc.value)


def test_good_file_with_dates_still_loads():
    text = GOOD + ("timeline:\n  - {date: 2019-02-28, end: 2019-03-01, lever: us_mpp_share, "
                   "value: 0.1, source: somewhere}\n")
    sc = parse_scenario(text)
    assert str(sc.timeline[0].date) == "2019-02-28"
