"""A kernel that dies at start because another worker's kernel took its port is started again;
any other failure is not hidden."""

from __future__ import annotations

import nbval.kernel
import pytest

from tests.notebook_outputs import retrying_kernel_start


def flaky(failures: list[str]):
    calls = []

    def start(**kwargs):
        calls.append(kwargs)
        if len(calls) <= len(failures):
            raise RuntimeError(failures[len(calls) - 1])
        return "km", "kc"

    return start, calls


def test_a_kernel_that_died_at_start_is_started_again():
    start, calls = flaky(["Kernel died before replying to kernel_info"])
    assert retrying_kernel_start(start)(kernel_name="python3") == ("km", "kc")
    assert len(calls) == 2


def test_a_kernel_that_keeps_dying_is_reported():
    start, calls = flaky(["Kernel died before replying to kernel_info"] * 3)
    with pytest.raises(RuntimeError, match="Kernel died"):
        retrying_kernel_start(start)()
    assert len(calls) == 3


def test_another_failure_is_not_retried():
    start, calls = flaky(["Kernel didn't respond in 300 seconds"])
    with pytest.raises(RuntimeError, match="didn't respond"):
        retrying_kernel_start(start)()
    assert len(calls) == 1


def test_nbval_starts_its_kernels_through_the_retry():
    assert getattr(nbval.kernel.start_new_kernel, "retrying", False)
