"""Running gunicorn and wrk for `make bench`: start a server, watch its workers' memory, load
one address or a list of new addresses, and read wrk's figures."""

import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(ROOT / ".venv/bin/gunicorn")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
FLOOR_PORT = 8790


def start(app, port, env, cwd=ROOT):
    proc = subprocess.Popen(
        [GUNICORN, app, "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "120",
         "--error-logfile", "-", "--log-level", "warning"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urlopen(f"http://127.0.0.1:{port}/", timeout=2)  # noqa: S310 - loopback only
            return proc
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn did not start on port {port}")


class MemoryWatch:
    """Samples the resident memory of a gunicorn master's workers; keeps the peak."""

    def __init__(self, proc):
        self.proc, self.peak_kb, self.running = proc, 0, True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while self.running:
            out = subprocess.run(["ps", "--ppid", str(self.proc.pid), "-o", "rss="],
                                 capture_output=True, text=True).stdout.split()
            if out:
                self.peak_kb = max(self.peak_kb, *map(int, out))
            time.sleep(0.2)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.peak_kb / 1024


def settle(port):
    """Waits until the workers have finished every request still queued from the last run
    (wrk gives up on slow ones, the workers do not), so that no row pays for the one before.
    Each worker takes queued requests in turn, so a few quick requests come back only then."""
    path = "/" if port == FLOOR_PORT else "/healthz"
    for _ in range(4):
        urlopen(f"http://127.0.0.1:{port}{path}", timeout=600)  # noqa: S310 - loopback only


def wrk(port, path, seconds=SECONDS, headers=None):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
         *[arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")],
         "-s", str(ROOT / "tests/load/report.lua"), f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    settle(port)
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    requests, duration_us, p50, p95, p99, errors, p90 = line.split()[1:]
    return {"rps": int(requests) / (int(duration_us) / 1e6), "p50": float(p50),
            "p90": float(p90), "p95": float(p95), "p99": float(p99), "errors": int(errors)}


# The most new addresses a second that a row is given room for: shorter than SECONDS where
# there are fewer addresses, so that a row does not run out of them and repeat some (a repeat
# is served from the cache, and would flatter the row; repeats are counted and shown).
NEW_PER_SECOND = 400
FLOOD = 5000

def wrk_unique(port, paths):
    """wrk over `paths`, each asked for once while they last; also counts repeats."""
    seconds = max(2, min(SECONDS, len(paths) // NEW_PER_SECOND))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(ROOT / "tests/load/unique.lua"), f"http://127.0.0.1:{port}", "--",
         listing.name, "2"],
        capture_output=True, text=True, check=True,
    ).stdout
    os.unlink(listing.name)
    settle(port)
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    requests, duration_us, p50, p95, p99, errors, repeats, p90 = line.split()[1:]
    return {"rps": int(requests) / (int(duration_us) / 1e6), "p50": float(p50),
            "p90": float(p90), "p95": float(p95), "p99": float(p99), "errors": int(errors),
            "repeats": int(repeats), "addresses": len(paths), "seconds": seconds}
