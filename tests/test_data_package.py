"""The real data package is valid, every row's source resolves, and snapshots are unchanged."""

from __future__ import annotations

import hashlib

import pytest

from cstoreport.machinery.validate import bib_keys, read_package, validate_package
from cstoreport.paths import DATA_DIR, ROOT


@pytest.fixture(scope="module")
def tables():
    return validate_package()


def test_every_table_validates(tables):
    package = read_package()
    assert set(tables) == {r["name"] for r in package["resources"]}


def test_every_source_id_resolves_to_the_bibliography(tables):
    keys = bib_keys()
    used = set()
    for table in tables.values():
        for column in ("source_id", "source_ids"):
            if column in table:
                for ids in table[column].dropna():
                    used.update(ids.split(";"))
    assert used - keys == set()
    assert len(used) > 100


def test_raw_snapshot_is_the_one_recorded():
    package = read_package()
    for res in package["resources"]:
        if res["path"].startswith("raw/"):
            digest = hashlib.sha256((DATA_DIR / res["path"]).read_bytes()).hexdigest()
            assert res["hash"] == f"sha256:{digest}", f"{res['path']} changed since capture"
            assert res["x_provenance"]["accessed"]
            assert res["x_provenance"]["read_from"]


def test_every_resource_has_a_title_and_description():
    for res in read_package()["resources"]:
        assert res.get("title") and res.get("description"), res["name"]
        for field in res["schema"]["fields"]:
            assert field["name"] == field["name"].strip()


def fields_without_meaning(package: dict) -> list[str]:
    """table.field for every field whose description is missing or says nothing."""
    return [
        f"{res['name']}.{field['name']}"
        for res in package["resources"]
        for field in res["schema"]["fields"]
        if len(str(field.get("description", "")).split()) < 2
    ]


def test_every_field_says_what_it_means():
    assert fields_without_meaning(read_package()) == []


def test_a_field_without_a_meaning_is_named():
    import copy

    package = copy.deepcopy(read_package())
    fields = package["resources"][0]["schema"]["fields"]
    del fields[0]["description"]
    fields[1]["description"] = " "
    assert fields_without_meaning(package) == [
        f"{package['resources'][0]['name']}.{fields[0]['name']}",
        f"{package['resources'][0]['name']}.{fields[1]['name']}",
    ]


def test_the_data_page_documents_every_table_and_is_up_to_date():
    from cstoreport.machinery import pages

    assert pages.main(["--check"]) == 0, "run python -m cstoreport.machinery.pages"
    page = (ROOT / "book" / "generated" / "data_tables.md").read_text(encoding="utf-8")
    for res in read_package()["resources"]:
        assert f"### `{res['name']}`" in page and f"<../data/{res['path']}>" in page, res["name"]
        for field in res["schema"]["fields"]:
            assert f"| `{field['name']}` |" in page


def test_disputed_rows_point_at_a_preferred_row(tables):
    for name, key in (("membership_events", "event_id"), ("armenia_disengagement", "step_id")):
        table = tables[name]
        alternatives = table[~table["preferred"]]
        assert not alternatives.empty
        assert alternatives["alternative_to"].notna().all()
        preferred_ids = set(table.loc[table["preferred"], key])
        assert set(alternatives["alternative_to"]) <= preferred_ids


def test_state_names_come_from_the_states_table(tables):
    from cstoreport import state_names
    from cstoreport.style import STATE_COLOURS

    names = state_names()
    states = tables["states"]
    assert names == dict(zip(states["state_iso3"], states["name"], strict=False))
    assert names["RUS"] == "Russia"
    # Every state with a house colour has a name; the world total is not a state.
    assert set(STATE_COLOURS) - {"WLD"} <= set(names)
