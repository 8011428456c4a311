"""Pool workers end when the process that started them is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = """
import os, sys, time
from borderflow.ensemble.runner import make_executor
with make_executor(2) as ex:
    futs = [ex.submit(time.sleep, 120) for _ in range(2)]
    time.sleep(1.0)
    print(" ".join(str(p) for p in ex._processes), flush=True)
    time.sleep(120)
"""


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    if status.exists():  # a zombie nobody reaps has ended
        state = next((ln for ln in status.read_text().splitlines() if ln.startswith("State:")),
                     "")
        return "Z" not in state.split(":", 1)[-1][:3]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_workers_exit_when_the_parent_is_killed():
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        pids = [int(p) for p in line.split()]
        assert len(pids) == 2, line
        assert all(_alive(p) for p in pids)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        deadline = time.time() + 10
        while time.time() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.1)
        assert not any(_alive(p) for p in pids), "pool workers outlived their parent"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_initializer_exits_at_once_if_the_parent_is_already_gone():
    code = ("import os\nfrom borderflow.ensemble.runner import exit_with_parent\n"
            "exit_with_parent(os.getppid() + 1_000_000)\nprint('survived')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 1 and "survived" not in out.stdout
