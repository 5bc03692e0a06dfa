"""Editions: the committed record of release 0.3.0 and the 'What changed' page built from it."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from cstoreport.machinery import editions as releases
from cstoreport.paths import ROOT


@pytest.fixture(scope="module")
def current():
    return releases.record(releases.Tree(ROOT))


def test_release_0_3_0_is_recorded():
    rec = json.loads((ROOT / "data" / "releases" / "0.3.0.json").read_text(encoding="utf-8"))
    assert rec["version"] == "0.3.0" and rec["date_released"] == "2026-12-01"
    assert rec["commit"].startswith("d30e636")
    names = {(r["notebook"], r["name"]) for r in rec["first_page"]}
    assert ("overview", "arm_steps") in names and ("context", "cutoff_date") in names
    assert rec["glued"]["overview"]["arm_steps"] == "28"  # glued there in 0.3.0
    assert len(rec["verdicts"]) == 149
    assert rec["records"]["armstat_published_totals"] == 46


def test_the_record_is_what_the_tag_holds():
    has_tag = (
        subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "-q", "--verify", "refs/tags/v0.3.0"],
            capture_output=True,
        ).returncode
        == 0
    )
    if not has_tag:
        pytest.skip("tag v0.3.0 not in this clone")
    committed = json.loads((ROOT / "data" / "releases" / "0.3.0.json").read_text("utf-8"))
    assert releases.record(releases.Tree(ROOT, "v0.3.0")) == committed


def _scratch(tmp_path):
    """The files a record reads, copied."""
    for folder in ("notebooks", "data"):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
    (tmp_path / "book").mkdir()
    shutil.copy(ROOT / "book" / "intro.md", tmp_path / "book" / "intro.md")
    shutil.copy(ROOT / "CITATION.cff", tmp_path / "CITATION.cff")
    return tmp_path


def _set_glue(path, name, text):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("metadata", {}).get("scrapbook", {}).get("name") == name:
                out["data"][releases.GLUE_MIME] = text
                path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
                return
    raise AssertionError(f"{name} is not glued in {path.name}")


def test_the_page_lists_a_changed_number_verdict_and_table(tmp_path, current):
    root = _scratch(tmp_path)
    owner = next(r["notebook"] for r in current["first_page"] if r["name"] == "arm_steps")
    old_steps = current["glued"][owner]["arm_steps"]
    _set_glue(root / "notebooks" / f"{owner}.ipynb", "arm_steps", str(int(old_steps) + 1))
    verdicts = root / "data" / "derived" / "claims_verdicts.csv"
    lines = verdicts.read_text(encoding="utf-8").splitlines()
    claim = lines[1].split(",")[0]
    old_verdict = current["verdicts"][claim]
    new_verdict = "contradicted" if old_verdict != "contradicted" else "supported"
    lines[1] = lines[1].replace(f",{old_verdict},", f",{new_verdict},", 1)
    verdicts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (root / "data" / "release_changes.csv").open("a", encoding="utf-8") as f:
        f.write(f"{current['version']},glued,{owner}::arm_steps,a step was added\n")
    new = releases.record(releases.Tree(root))
    text = releases.page(
        current, new, releases.load_reasons(releases.Tree(root), current["version"])
    )
    row = next(line for line in text.splitlines() if f"{owner}::arm_steps" in line)
    assert f"| {old_steps} | {int(old_steps) + 1} | a step was added |" in row
    row = next(line for line in text.splitlines() if line.startswith(f"| {claim} "))
    assert old_verdict in row and new_verdict in row and releases.NO_REASON in row
    row = next(line for line in text.splitlines() if "`release_changes`" in line)
    assert f"| {current['records']['release_changes']} | " in row  # the reason line added


def test_an_unchanged_tree_lists_nothing(current):
    text = releases.page(current, current, {})
    assert text.count("No change.") == 4


def test_the_previous_release_is_the_one_before_a_just_recorded_tree(tmp_path, current):
    root = _scratch(tmp_path)
    (root / "data" / "releases").mkdir(exist_ok=True)
    releases.write_record(root, version="9.9.9")  # the tree, recorded as a release
    old, new = releases.previous_and_current(releases.Tree(root))
    # the newest committed record (0.4.0 and later also equal a tree just released)
    newest = releases.releases(releases.Tree(ROOT))[-1]["version"]
    assert (old["version"], new["version"]) == (newest, "9.9.9")
    owner = next(r["notebook"] for r in current["first_page"] if r["name"] == "arm_steps")
    _set_glue(root / "notebooks" / f"{owner}.ipynb", "arm_steps", "0")  # work goes on
    old, new = releases.previous_and_current(releases.Tree(root))
    assert old["version"] == "9.9.9"


def test_glued_values_are_shown_in_the_pages_format():
    assert releases.shown("12.3456", ".1f") == "12.3"
    assert releases.shown("'31 January 2026'", "s") == "31 January 2026"
    assert releases.shown(None, "d") == "–"


def test_a_report_date_is_the_same_value_whichever_mark_it_carried():
    """0.4.0's record marks such a day "(date of report)", today's pages "†": not a change."""
    from cstoreport.machinery.editions import shown

    assert shown("'14 June 2024 (date of report)'", "s") == shown("'14 June 2024\u2020'", "s")
    assert shown("5", "w") == "five" and shown("12", "w") == "12"
