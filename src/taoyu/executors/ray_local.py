"""A throwaway Ray cluster on this machine alone, for trying the Ray executor, tests and benchmarks.

    with LocalRayCluster(nodes=2, cpus_per_node=1) as cluster:
        Pipeline.from_recipe("recipes/zh-web.yaml").run(executor="ray", address=cluster.address)

Each node is a real ``ray start`` (a head, then ``ray start --address`` for the others) with
``--node-ip-address 127.0.0.1``, its own temp folder (so ``--address auto`` elsewhere never finds
it) and no dashboard or usage reporting. Ray replaces a loopback node address by this machine's
own primary address, so nodes may register as that address: still this machine, never another.

Every node runs in a process group of its own, and ``stop`` ends exactly those groups: it never
touches another Ray cluster on the machine, as ``ray stop`` (which kills by process name) would.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ray_command() -> str:
    """The ``ray`` script of this Python's environment, so nodes run the same Python and packages."""
    beside = Path(sys.executable).with_name("ray")
    if beside.exists():
        return str(beside)
    found = shutil.which("ray")
    if not found:
        raise FileNotFoundError("no `ray` command: pip install 'taoyu[ray]'")
    return found


def local_addresses() -> set[str]:
    """This machine's own IP addresses (loopback included)."""
    found = {"127.0.0.1", "::1", "localhost"}
    with contextlib.suppress(OSError):
        found.update(a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None))
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5).stdout
        found.update(out.split())
    except (OSError, subprocess.SubprocessError):
        pass
    return found


class LocalRayCluster:
    def __init__(
        self,
        nodes: int = 1,
        cpus_per_node: int = 1,
        port: int | None = None,
        object_store_mb: int = 512,
        join: str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        """``join``: add ``nodes`` worker nodes to the cluster at that address instead of starting a
        head; ``stop`` then ends only those. ``env``: extra environment for the nodes' processes
        (their workers inherit it)."""
        self.nodes = nodes
        self.cpus_per_node = cpus_per_node
        self.port = port or free_port()
        self.object_store_mb = object_store_mb
        self.join = join
        self.env = env or {}
        self.address = join or f"127.0.0.1:{self.port}"
        self._groups: list[int] = []
        self._temp = ""

    def __enter__(self) -> LocalRayCluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def cpus(self) -> int:
        return self.nodes * self.cpus_per_node

    def _ray_start(self, *args: str) -> None:
        env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", **self.env}
        env.pop("RAY_ADDRESS", None)
        common = [
            "--node-ip-address",
            "127.0.0.1",
            "--num-cpus",
            str(self.cpus_per_node),
            "--num-gpus",
            "0",
            "--object-store-memory",
            str(self.object_store_mb * 2**20),
            "--temp-dir",
            self._temp,
            "--disable-usage-stats",
        ]
        proc = subprocess.Popen(
            [ray_command(), "start", *args, *common],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # the node's daemons stay in this process group after it exits
        )
        self._groups.append(proc.pid)
        out, _ = proc.communicate(timeout=180)
        if proc.returncode != 0:
            raise RuntimeError(f"`ray start {' '.join(args)}` failed ({proc.returncode}):\n{out[-3000:]}")

    def start(self) -> str:
        # Short: Ray puts unix sockets under it, and their paths are limited to ~107 bytes.
        self._temp = tempfile.mkdtemp(prefix="taoyu-ray-", dir="/tmp")
        try:
            if not self.join:
                self._ray_start("--head", "--port", str(self.port), "--include-dashboard=false")
            for _ in range(self.nodes if self.join else self.nodes - 1):
                self._ray_start("--address", self.address)
        except BaseException:
            self.stop()
            raise
        return self.address

    def add_node(self, cpus: int | None = None) -> None:
        saved = self.cpus_per_node
        self.cpus_per_node = cpus or saved
        try:
            self._ray_start("--address", self.address)
        finally:
            self.cpus_per_node = saved

    def stop(self) -> None:
        """End this cluster's process groups (TERM, then KILL after a grace period)."""
        for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            alive = [g for g in self._groups if _group_alive(g)]
            for group in alive:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(group, sig)
            deadline = time.monotonic() + grace
            while any(_group_alive(g) for g in alive) and time.monotonic() < deadline:
                time.sleep(0.1)
        self._groups = []
        if self._temp:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = ""


def _group_alive(group: int) -> bool:
    """Whether any process of the group is still running (zombies, already dead, do not count)."""
    if not Path("/proc/self/stat").exists():
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        return True
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False
