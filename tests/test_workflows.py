"""The hosted pipeline (.github/workflows) cannot run here, so these are its checks: each workflow
is valid against GitHub's workflow schema (check-jsonschema, pinned in requirements.txt, with the
schema it ships), and the CI workflow runs exactly the README's commands on a machine set up as
the README says."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from cstoreport.paths import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
CHECK = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def readme_block(heading: str) -> list[str]:
    """The command lines (comments dropped) of the first bash block after `heading`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(re.escape(heading) + r".*?```bash\n(.*?)```", text, re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]


def test_the_workflows_are_valid_github_workflows():
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 2
    result = subprocess.run(CHECK + files, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_refuses_a_broken_workflow(tmp_path):
    broken = tmp_path / "ci.yml"
    broken.write_text((WORKFLOWS / "ci.yml").read_text().replace("runs-on:", "run-on:"))
    result = subprocess.run(CHECK + [str(broken)], capture_output=True, text=True)
    assert result.returncode == 1 and "'runs-on' is a required property" in result.stdout


def test_ci_runs_exactly_the_readme_commands_on_debian_12_and_13():
    ci = load("ci.yml")
    assert set(ci["on"]) == {"push", "pull_request"}
    (job,) = ci["jobs"].values()
    images = [(m["image"], m["python"]) for m in job["strategy"]["matrix"]["include"]]
    assert images == [("debian:bookworm", "3.11"), ("debian:trixie", "3.13")]
    assert job["container"]["image"] == "${{ matrix.image }}"
    install, *commands = runs(job)
    # the machine: only what the README asks a reader to install
    readme_install = [line for line in readme_block("## Two commands") if "apt-get" in line]
    packages = install.splitlines()[-1].split("--no-install-recommends")[1].split()
    assert readme_install == [f"apt-get install {' '.join(packages)}"]
    assert install.splitlines()[0] == "apt-get update"
    # then the README's commands: `make book`, and `make test` as .ci/run's last line
    ci_run = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert commands == ["make book", ".ci/run"]
    assert ci_run[-1] == "make test"
    assert [c for c in readme_block("## Two commands") if c.startswith("make ")] == [
        "make book",
        "make test",
    ]


def test_a_version_tag_makes_the_release_and_publishes_it():
    release = load("release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    job = release["jobs"]["release"]
    assert job["container"]["image"] == "debian:bookworm"
    assert "make release" in runs(job)
    uses = {step.get("uses", "").split("@")[0]: step.get("with", {}) for step in job["steps"]}
    assert uses["softprops/action-gh-release"]["files"] == "_build/release/*"
    assert uses["actions/upload-pages-artifact"]["path"] == "_build/html"
    pages = release["jobs"]["pages"]
    assert pages["needs"] == "release"
    assert [s["uses"].split("@")[0] for s in pages["steps"]] == ["actions/deploy-pages"]
    assert "\nrelease: book\n" in (ROOT / "Makefile").read_text()
