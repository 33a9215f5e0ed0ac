"""A real PostgreSQL server for the storage tests.

``DIALOGGEN_TEST_POSTGRES=postgresql://...`` uses a running server (CI may start one);
otherwise a throw-away cluster is made with the Debian package's ``initdb``/``pg_ctl``
in a temporary folder (as the ``postgres`` or ``nobody`` user when run as root: the
server refuses to run as root), listening on a Unix socket only. Tests that need it are
skipped, with the reason, only when no server binary exists.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Iterator, Optional

from procs import free_port

import pytest


def _binaries() -> Optional[tuple[str, str]]:
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        initdb, pg_ctl = Path(folder) / "initdb", Path(folder) / "pg_ctl"
        if initdb.exists() and pg_ctl.exists():
            return str(initdb), str(pg_ctl)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    return (initdb, pg_ctl) if initdb and pg_ctl else None


class PostgresServer:
    """A temporary cluster: ``url(dbname)``, ``new_database()``, ``stop()``."""

    def __init__(self) -> None:
        bins = _binaries()
        if bins is None:
            pytest.skip("no PostgreSQL server binary (initdb, pg_ctl) found: apt-get install postgresql to run these tests")
        self.initdb, self.pg_ctl = bins
        self.dir = Path(tempfile.mkdtemp(prefix="dgpg-"))
        self.port = free_port()
        self._user: Optional[pwd.struct_passwd] = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    self._user = pwd.getpwnam(name)
                    break
                except KeyError:
                    continue
            if self._user is None:
                pytest.skip("running as root with no postgres or nobody user to run the PostgreSQL server")
            os.chown(self.dir, self._user.pw_uid, self._user.pw_gid)
        self._run([self.initdb, "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
        opts = f"-k {self.dir} -c listen_addresses='' -p {self.port} -c fsync=off -c max_connections=200"
        self._run([self.pg_ctl, "-D", str(self.dir / "data"), "-o", opts, "-l", str(self.dir / "log"), "-w", "start"])

    def _run(self, cmd: list[str]) -> None:
        def drop() -> None:
            if self._user is not None:
                os.setgid(self._user.pw_gid)
                os.setuid(self._user.pw_uid)

        proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=drop, cwd=str(self.dir), timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed: {proc.stderr or proc.stdout}")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.dir}&port={self.port}"

    def new_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run([self.pg_ctl, "-D", str(self.dir / "data"), "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class _External:
    def __init__(self, url: str) -> None:
        self._url = url

    def new_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self._url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(self._url)
        return urlunsplit(parts._replace(path="/" + name))

    def stop(self) -> None:
        pass


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install 'dialoggen[postgres]'")
    url = os.environ.get("DIALOGGEN_TEST_POSTGRES")
    server = _External(url) if url else PostgresServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A fresh, empty database on the test server."""
    return postgres_server.new_database()
