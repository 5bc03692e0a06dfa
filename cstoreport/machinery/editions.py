"""Editions: what each release publishes, and what changed since the last one.

A release record (data/releases/<version>.json) keeps, for one edition, every glued value of
every notebook (as its stored output shows it), the glued numbers of the first page (the key
findings among them) with their display format, every claim's verdict, and the number of
records in each table of the data package. The "What changed in this edition" page compares the
previous release's record with the working tree, and gives each change a reason from
data/release_changes.csv.

    python -m cstoreport.machinery.editions record    write data/releases/<version>.json from
                                                      the working tree (CITATION.cff's version)
    python -m cstoreport.machinery.editions record --ref v0.3.0   the same from a commit or tag
    python -m cstoreport.machinery.editions page      write book/generated/what_changed.md
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import json
import re
import subprocess
from pathlib import Path

import yaml

from cstoreport.gluing import COUNT_FORMATS, REPORT_DATE_MARK, count_words
from cstoreport.paths import ROOT, write_whole

RELEASES_DIR = Path("data") / "releases"
REASONS = Path("data") / "release_changes.csv"
PAGE = Path("book") / "generated" / "what_changed.md"
FIRST_PAGE = Path("book") / "intro.md"
VERDICTS = Path("data") / "derived" / "claims_verdicts.csv"
PACKAGE = Path("data") / "datapackage.json"
GLUE_MIME = "application/papermill.record/text/plain"
GLUE_REF = re.compile(r"\{glue:text\}`(?:\.\./)?notebooks/([\w-]+)\.ipynb::([\w-]+)(?::([^`]*))?`")


class Tree:
    """Files of the repository as they are in the working tree (ref None) or at a commit."""

    def __init__(self, root: Path = ROOT, ref: str | None = None):
        self.root, self.ref = Path(root), ref

    def read(self, path: Path | str) -> str | None:
        path = Path(path).as_posix()
        if self.ref is None:
            file = self.root / path
            return file.read_text(encoding="utf-8") if file.exists() else None
        done = subprocess.run(
            ["git", "-C", str(self.root), "show", f"{self.ref}:{path}"],
            capture_output=True,
            text=True,
        )
        return done.stdout if done.returncode == 0 else None

    def list(self, folder: str, suffix: str) -> list[str]:
        if self.ref is None:
            return sorted(
                p.relative_to(self.root).as_posix() for p in (self.root / folder).glob(f"*{suffix}")
            )
        done = subprocess.run(
            ["git", "-C", str(self.root), "ls-tree", "--name-only", f"{self.ref}:{folder}"],
            capture_output=True,
            text=True,
            check=True,
        )
        return sorted(f"{folder}/{n}" for n in done.stdout.split() if n.endswith(suffix))

    def commit(self) -> str | None:
        ref = f"{self.ref or 'HEAD'}^{{commit}}"
        done = subprocess.run(
            ["git", "-C", str(self.root), "rev-parse", ref], capture_output=True, text=True
        )
        return done.stdout.strip() if done.returncode == 0 else None


def notebook_glue(text: str) -> dict[str, str]:
    """Glued name -> value as its stored output shows it (the text `make verify` compares)."""
    nb = json.loads(text)
    values = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is not None:
                data = out.get("data", {})
                values[name] = data.get(GLUE_MIME, json.dumps(data, sort_keys=True))
    return dict(sorted(values.items()))


def first_page_glue(text: str) -> list[dict]:
    """The glued values the first page shows, in order of first appearance."""
    seen, refs = set(), []
    for notebook, name, fmt in GLUE_REF.findall(text):
        if (notebook, name) not in seen:
            seen.add((notebook, name))
            refs.append({"notebook": notebook, "name": name, "format": fmt or ""})
    return refs


def count_records(text: str | None) -> int | None:
    if text is None:
        return None
    return max(sum(1 for _ in csv.reader(io.StringIO(text))) - 1, 0)


def record(tree: Tree, version: str | None = None) -> dict:
    """What one edition publishes (see the module's docstring)."""
    citation = yaml.safe_load(tree.read("CITATION.cff") or "{}") or {}
    glued = {}
    for path in tree.list("notebooks", ".ipynb"):
        values = notebook_glue(tree.read(path))
        if values:
            glued[Path(path).stem] = values
    verdicts = {}
    verdict_text = tree.read(VERDICTS)
    if verdict_text:
        for row in csv.DictReader(io.StringIO(verdict_text)):
            verdicts[row["claim_id"]] = row["verdict"]
    package = json.loads(tree.read(PACKAGE))
    records = {
        res["name"]: count_records(tree.read(Path("data") / res["path"]))
        for res in package["resources"]
    }
    return {
        "version": version or str(citation.get("version", "unreleased")),
        "date_released": str(citation.get("date-released", "")),
        "commit": tree.commit() if tree.ref else None,
        "first_page": first_page_glue(tree.read(FIRST_PAGE) or ""),
        "glued": glued,
        "verdicts": dict(sorted(verdicts.items())),
        "records": dict(sorted(records.items())),
    }


LEGACY_REPORT_DATE_MARK = " (date of report)"


def _marked(text: str | None) -> str | None:
    """Releases up to 0.4.0 marked a day known only from a report as "(date of report)"; the
    same date with today's mark is the same value."""
    return text if text is None else text.replace(LEGACY_REPORT_DATE_MARK, REPORT_DATE_MARK)


def shown(text: str | None, fmt: str) -> str:
    """A glued value as the page shows it ({glue:text} applies the format to the value)."""
    if text is None:
        return "–"
    text = _marked(text)
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    try:
        if fmt in COUNT_FORMATS:
            return count_words(value, fmt)
        return format(value, fmt) if fmt else str(value)
    except (ValueError, TypeError):
        return str(value)


def _by_name(glued: dict) -> dict[str, str]:
    """Glued values by name (a value moved to its owner notebook keeps its name)."""
    flat: dict[str, str] = {}
    for notebook in sorted(glued):
        for name, value in glued[notebook].items():
            flat.setdefault(name, value)
    return flat


def changes(old: dict, new: dict) -> dict[str, list[dict]]:
    """The differences between two release records: first-page glued values (old and new as
    the page shows them; a value is known by its name, wherever it is glued from), other glued
    values, verdicts, and record counts per table."""
    old_values, new_values = _by_name(old["glued"]), _by_name(new["glued"])
    formats = {r["name"]: r["format"] for r in old["first_page"]}
    formats.update({r["name"]: r["format"] for r in new["first_page"]})
    owners = {r["name"]: r["notebook"] for r in old["first_page"]}
    owners.update({r["name"]: r["notebook"] for r in new["first_page"]})
    on_old_page = {r["name"] for r in old["first_page"]}
    on_new_page = {r["name"] for r in new["first_page"]}
    first = []
    for name, fmt in formats.items():
        a = old_values.get(name) if name in on_old_page else None
        b = new_values.get(name) if name in on_new_page else None
        if shown(a, fmt) != shown(b, fmt):
            first.append(
                {"item": f"{owners[name]}::{name}", "old": shown(a, fmt), "new": shown(b, fmt)}
            )
    other = [
        {"item": name, "old": old_values.get(name, "–"), "new": new_values.get(name, "–")}
        for name in sorted(set(old_values) | set(new_values))
        if name not in formats and _marked(old_values.get(name)) != _marked(new_values.get(name))
    ]
    verdicts = [
        {"item": cid, "old": old["verdicts"].get(cid, "–"), "new": new["verdicts"].get(cid, "–")}
        for cid in sorted(set(old["verdicts"]) | set(new["verdicts"]))
        if old["verdicts"].get(cid) != new["verdicts"].get(cid)
    ]
    records = [
        {"item": t, "old": old["records"].get(t), "new": new["records"].get(t)}
        for t in sorted(set(old["records"]) | set(new["records"]))
        if old["records"].get(t) != new["records"].get(t)
    ]
    return {"first_page": first, "glued": other, "verdicts": verdicts, "records": records}


def load_reasons(tree: Tree, since: str) -> dict[tuple[str, str], str]:
    """(kind, item) -> why it changed since release `since`, from data/release_changes.csv."""
    reasons = {}
    # A verdict's reason is kept once, in the ledger row that changed (change_reason).
    ledger = tree.read("data/claims_ledger.csv")
    for r in csv.DictReader(io.StringIO(ledger or "")):
        if r.get("previous_verdict") and r.get("change_reason"):
            reasons[("verdict", r["claim_id"])] = r["change_reason"]
    text = tree.read(REASONS)
    for r in csv.DictReader(io.StringIO(text or "")):
        if r["since"] == since:
            reasons[(r["kind"], r["item"])] = r["reason"]
    return reasons


NO_REASON = "(no reason recorded yet in data/release_changes.csv)"


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _count(n) -> str:
    return "–" if n is None else f"{n:,}"


def _added(old, new) -> str:
    return f"{(new or 0) - (old or 0):+,}"


def page(old: dict, new: dict, reasons: dict) -> str:
    """The "What changed in this edition" page, as Markdown."""
    found = changes(old, new)
    why = lambda kind, item: reasons.get((kind, item), NO_REASON)  # noqa: E731
    since = f"version {old['version']}"
    if old.get("date_released"):
        since += f" of {old['date_released']}"
    if old.get("commit"):
        since += f" (commit {old['commit'][:7]})"
    lines = [
        "<!-- Generated by `python -m cstoreport.machinery.editions page` from "
        f"data/releases/{old['version']}.json and the working tree. -->",
        "",
        f"This edition compared with {since}.",
        "",
    ]
    sections = [
        (
            "first_page",
            "glued",
            "Numbers on the first page and in the key findings",
            ["Value", "Before", "Now", "Why"],
            lambda c: [f"`{c['item']}`", c["old"], c["new"]],
        ),
        (
            "verdicts",
            "verdict",
            "Verdicts",
            ["Claim", "Before", "Now", "Why"],
            lambda c: [c["item"], c["old"], c["new"]],
        ),
        (
            "records",
            "records",
            "Records per table",
            ["Table", "Before", "Now", "Added", "Why"],
            lambda c: [
                f"`{c['item']}`",
                _count(c["old"]),
                _count(c["new"]),
                _added(c["old"], c["new"]),
            ],
        ),
    ]
    for key, kind, title, header, cells in sections:
        lines += [f"## {title}", ""]
        if not found[key]:
            lines += ["No change.", ""]
            continue
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for c in found[key]:
            lines.append(
                "| " + " | ".join(_cell(x) for x in cells(c) + [why(kind, c["item"])]) + " |"
            )
        lines.append("")
    other = found["glued"]
    lines += ["## Other numbers in the chapters", ""]
    if other:
        added = sum(c["old"] == "–" for c in other)
        gone = sum(c["new"] == "–" for c in other)
        lines.append(
            f"{len(other) - added - gone} other glued values changed, {added} are new "
            f"and {gone} are no longer glued (the notebooks show each)."
        )
    else:
        lines.append("No change.")
    lines.append("")
    return "\n".join(lines)


def releases(tree: Tree) -> list[dict]:
    """The committed release records, oldest first."""

    def key(rec):
        return tuple(int(p) if p.isdigit() else 0 for p in rec["version"].split("."))

    found = [json.loads(tree.read(p)) for p in tree.list(RELEASES_DIR.as_posix(), ".json")]
    return sorted(found, key=key)


CONTENT = ("first_page", "glued", "verdicts", "records")


def previous_and_current(tree: Tree) -> tuple[dict, dict]:
    """The previous release's record and this edition's (the working tree). The previous
    release is the newest record, unless the tree is that release (just recorded): then the
    one before it."""
    current = record(tree)
    found = releases(tree)
    if found and all(found[-1][k] == current[k] for k in CONTENT):
        current = found[-1]
        found = found[:-1]
    if not found:
        raise SystemExit(f"no earlier release record in {RELEASES_DIR} to compare with")
    return found[-1], current


def write_page(root: Path = ROOT) -> Path:
    tree = Tree(root)
    old, new = previous_and_current(tree)
    target = Path(root) / PAGE
    write_whole(target, page(old, new, load_reasons(tree, old["version"])))
    return target


def write_record(root: Path = ROOT, ref: str | None = None, version: str | None = None) -> Path:
    rec = record(Tree(root, ref), version)
    target = Path(root) / RELEASES_DIR / f"{rec['version']}.json"
    write_whole(target, json.dumps(rec, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="write this edition's release record")
    rec.add_argument("--ref", help="a git commit or tag instead of the working tree")
    rec.add_argument("--version", help="the version to record (default: CITATION.cff's)")
    sub.add_parser("page", help="write the 'What changed in this edition' page")
    args = parser.parse_args(argv)
    if args.command == "record":
        print(f"wrote {write_record(ROOT, args.ref, args.version).relative_to(ROOT)}")
    else:
        print(f"wrote {write_page(ROOT).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def page_text(root: Path = ROOT) -> str | None:
    """The generated page's text, or None when there is no earlier release to compare with."""
    tree = Tree(root)
    try:
        old, new = previous_and_current(tree)
    except SystemExit:
        return None
    return page(old, new, load_reasons(tree, old["version"]))


# What the page is written from (the build rewrites it when one of these changes).
PAGE_SOURCES = ["data", "notebooks", "book/intro.md", "CITATION.cff"]
