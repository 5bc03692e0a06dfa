"""A pytest plugin (loaded in pytest.ini, so that it also acts when only notebooks are run):
after nbval has executed a notebook, check that it wrote exactly what notebooks.lock records.

In a parallel run (pytest-xdist `--dist loadfile`, as `make test` runs it) a notebook's cells
and this check after them stay together, in order, on one worker."""

from __future__ import annotations

import pytest

from cstoreport.paths import ROOT, file_digest, relative


class NotebookOutputsMatchTheLock(pytest.Item):
    """Determinism: after nbval has executed a notebook (its cells are the items before this
    one, in the same test worker), each derived table and figure it declares is byte for byte
    the one the committed run wrote, as notebooks.lock records."""

    def runtest(self):
        from cstoreport.machinery import run_notebooks

        name = relative(self.path)
        recorded = run_notebooks.read_lock().get(name)
        assert recorded is not None, f"notebooks.lock has no entry for {name}"
        changed = [
            path
            for path, digest in recorded["outputs"].items()
            if file_digest(ROOT / path) != digest
        ]
        assert changed == [], f"re-executing {name} changed {changed}"

    def reportinfo(self):
        return self.path, None, f"{relative(self.path)}: outputs match notebooks.lock"


def pytest_collection_modifyitems(items):
    """After the last cell of each notebook nbval executes, check what that notebook wrote."""
    checked = []
    for index, item in enumerate(items):
        checked.append(item)
        notebook = item.parent
        last_cell = item.path.suffix == ".ipynb" and (
            index + 1 == len(items) or items[index + 1].parent is not notebook
        )
        if last_cell:
            checked.append(
                NotebookOutputsMatchTheLock.from_parent(
                    notebook, name="outputs match notebooks.lock"
                )
            )
    items[:] = checked


KERNEL_START_ATTEMPTS = 3


def retrying_kernel_start(start, attempts: int = KERNEL_START_ATTEMPTS):
    """nbval's kernel start, tried again when the kernel dies before it answers. Two kernels
    started at the same moment on two test workers can pick the same free TCP port, and the
    second dies at once ("Kernel died before replying to kernel_info"; nbmake issue 129 shows
    the ZMQError behind it). Any other failure, or a third death, is raised as it is."""

    def start_new_kernel(*args, **kwargs):
        for attempt in range(1, attempts + 1):
            try:
                return start(*args, **kwargs)
            except RuntimeError as error:
                if attempt == attempts or "Kernel died before replying" not in str(error):
                    raise

    start_new_kernel.retrying = True
    return start_new_kernel


def pytest_configure(config):
    import nbval.kernel

    if not getattr(nbval.kernel.start_new_kernel, "retrying", False):
        nbval.kernel.start_new_kernel = retrying_kernel_start(nbval.kernel.start_new_kernel)
