"""The deployment of deploy/ on loopback: nginx (its site file, with loopback addresses, a
certificate made for the run and this checkout's static files), two gunicorn nodes (the
systemd unit's command) on PostgreSQL with a Redis of the cluster's own, the environment
file's proxy settings, an SMTP server that keeps what it is sent, and a loop that runs each
timer's job every `tick` seconds in place of systemd.

`python tests/load/cluster.py` (`make cluster`) starts it, prints its address and stops
everything it started on Ctrl-C; tests/load/failover.py and tests/test_behind_the_proxy.py
start it from Python.
"""

import configparser
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PYTHON = ROOT / ".venv" / "bin" / "python"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # Debian's; not on a user's PATH
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def replace_all(text, replacements, name):
    """Each replacement must find its text: a changed recipe fails here, loudly."""
    for old, new in replacements.items():
        if old not in text:
            raise RuntimeError(f"{name} no longer holds {old!r}: update tests/load/cluster.py")
        text = text.replace(old, new)
    return text


def unit(name):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / name)
    return parser["Service"]


def env_file():
    """The settings deploy/pcc-practice.env sets (its NAME=value lines)."""
    text = (DEPLOY / "pcc-practice.env").read_text()
    return dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, re.MULTILINE))


def database(name, drop):
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if drop or not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


class Cluster:
    def __init__(self, db_name="pcc_cluster", fresh=False, tick=60.0, env=None, quiet=False):
        self.work = Path(tempfile.mkdtemp(prefix="pcc-cluster-"))
        self.db_name, self.fresh, self.tick, self.quiet = db_name, fresh, tick, quiet
        self.https_port, self.http_port = free_port(), free_port()
        self.node_ports = [free_port(), free_port()]
        self.redis_port, self.smtp_port = free_port(), free_port()
        self.extra_env = env or {}
        self.nodes = [None, None]
        self.listeners = [None, None]  # each node's port, held as systemd holds it
        self.others = {}
        self.stopping = threading.Event()
        self.jobs_run = []

    @property
    def url(self):
        return f"https://127.0.0.1:{self.https_port}"

    def say(self, message):
        if not self.quiet:
            print(message, flush=True)

    # --- Settings -------------------------------------------------------------------------
    def environment(self):
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("DJANGO_", "PCC_", "EMAIL_")) and k not in
                {"DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY", "DEFAULT_FROM_EMAIL"}}
        return {**base, **env_file(),
                "DJANGO_SECRET_KEY": self.secret,
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_CSRF_TRUSTED_ORIGINS": self.url,
                "DATABASE_URL": self.database_url,
                "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
                "PCC_SITE_URL": self.url,
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.smtp_port),
                "EMAIL_USE_TLS": "0", "DEFAULT_FROM_EMAIL": "PCC Practice <alerts@localhost>",
                "WEB_CONCURRENCY": "2",
                **self.extra_env}

    def manage(self, *args):
        """Runs manage.py with the nodes' settings; gives what it printed."""
        return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    # --- Processes ------------------------------------------------------------------------
    def spawn(self, name, command, cwd=ROOT, pass_fds=()):
        log = open(self.work / f"{name}.log", "ab")  # noqa: SIM115 (kept open while it runs)
        return subprocess.Popen(command, cwd=cwd, env=self.env, stdout=log, pass_fds=pass_fds,
                                stderr=subprocess.STDOUT, start_new_session=True)

    def listen(self, n):
        """As pcc-practice.socket: the node's port, open before gunicorn starts and after
        it stops."""
        if self.listeners[n] is None:
            self.listeners[n] = socket.create_server(("127.0.0.1", self.node_ports[n]),
                                                     backlog=4096)
        return self.listeners[n].fileno()

    def node_command(self, n):
        """The unit's command, given the port as systemd gives it (socket_activated.py)."""
        command = replace_all(unit("pcc-practice.service")["ExecStart"],
                              {"/srv/pcc-practice/": f"{ROOT}/"},
                              "deploy/systemd/pcc-practice.service")
        return [PYTHON, Path(__file__).with_name("socket_activated.py"), str(self.listen(n)),
                *command.split()]

    def start_node(self, n):
        self.nodes[n] = self.spawn(f"node{n + 1}", self.node_command(n),
                                   pass_fds=(self.listen(n),))

    def restart_node(self, n):
        """As `systemctl restart`: gunicorn ends the requests in progress and stops
        (SIGTERM), then starts again; the port stays open throughout, as systemd holds it.
        Returns once the node answers."""
        stop(self.nodes[n], signal.SIGTERM)
        self.start_node(n)
        port, node = self.node_ports[n], self.nodes[n]

        def answers():
            if node.poll() is not None:
                raise RuntimeError(f"node {n + 1} stopped as it started:\n{self.log_tail(n)}")
            return get(f"http://127.0.0.1:{port}", "/healthz")[0] == 200

        wait_until(answers, what=lambda: f"node {n + 1}:\n{self.log_tail(n)}")

    def log_tail(self, n, lines=20):
        log = self.work / f"node{n + 1}.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() \
            else "(no log)"

    def kill_node(self, n):
        """As a machine failing: every process of the node is killed at once (SIGKILL), and
        its port closes with it."""
        stop(self.nodes[n], signal.SIGKILL)
        self.listeners[n].close()
        self.listeners[n] = None

    def nginx_config(self):
        site = replace_all((DEPLOY / "nginx" / "pcc-practice.conf").read_text(), {
            "server 10.0.0.11:8000": f"server 127.0.0.1:{self.node_ports[0]}",
            "server 10.0.0.12:8000": f"server 127.0.0.1:{self.node_ports[1]}",
            "    listen [::]:80;\n": "", "    listen [::]:443 ssl http2;\n": "",
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{self.https_port} ssl http2;",
            "server_name practice.example.org;": "server_name 127.0.0.1 localhost;",
            "https://$host$request_uri": f"https://$host:{self.https_port}$request_uri",
            "/etc/letsencrypt/live/practice.example.org/fullchain.pem": f"{self.work}/cert.pem",
            "/etc/letsencrypt/live/practice.example.org/privkey.pem": f"{self.work}/key.pem",
            "/var/log/nginx/": f"{self.work}/",
            "/srv/pcc-practice/staticfiles/": f"{ROOT}/staticfiles/",
            "/srv/pcc-practice/deploy/": f"{ROOT}/deploy/",
        }, "deploy/nginx/pcc-practice.conf")
        (self.work / "site.conf").write_text(site)
        temp = self.work / "nginx-temp"
        temp.mkdir()
        user = "user root;\n" if os.geteuid() == 0 else ""
        paths = "\n".join(f"    {kind}_temp_path {temp}/{kind};"
                          for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (self.work / "nginx.conf").write_text(
            f"daemon off;\n{user}worker_processes 1;\npid {self.work}/nginx.pid;\n"
            f"error_log {self.work}/nginx-error.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n"
            f"    access_log {self.work}/nginx-access.log;\n    sendfile on;\n{paths}\n"
            f"    include {self.work}/site.conf;\n}}\n")
        nginx = [NGINX, "-p", str(self.work), "-e", str(self.work / "nginx-error.log"),
                 "-c", str(self.work / "nginx.conf")]
        subprocess.run([*nginx, "-t", "-q"], check=True)
        return nginx

    def certificate(self):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-keyout", self.work / "key.pem", "-out", self.work / "cert.pem",
                        "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                       check=True, capture_output=True)

    def start_redis(self):
        self.others["redis"] = self.spawn("redis", [
            "redis-server", "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save", "",
            "--appendonly", "no", "--dir", str(self.work), "--maxmemory", "256mb",
            "--maxmemory-policy", "allkeys-lru"])

    def stop_redis(self):
        stop(self.others.pop("redis", None), signal.SIGTERM)

    # --- The timers -----------------------------------------------------------------------
    def jobs(self):
        """Each timer's service: its command and folder, with this checkout for /srv/..."""
        state = self.work / "state"
        state.mkdir(exist_ok=True)
        places = {"/srv/pcc-practice/": f"{ROOT}/", "/var/lib/pcc-practice": str(state)}
        for timer in sorted((DEPLOY / "systemd").glob("*.timer")):
            service = unit(timer.name.replace(".timer", ".service"))
            steps = [service["ExecStart"]] + ([service["ExecStartPost"]]
                                              if "ExecStartPost" in service else [])
            folder = service["WorkingDirectory"]
            for old, new in places.items():
                folder = folder.replace(old.rstrip("/"), new.rstrip("/"))
                steps = [step.replace(old, new) for step in steps]
            yield timer.stem, [step.split() for step in steps], folder

    def run_jobs(self):
        """Runs each timer's job once, as systemd would; gives [(timer, exit codes)]."""
        ran = []
        for name, steps, folder in self.jobs():
            with open(self.work / "scheduler.log", "ab") as log:
                codes = [subprocess.run(step, cwd=folder, env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT).returncode
                         for step in steps]
            ran.append((name, codes))
            self.say(f"scheduler: ran {name} ({'ok' if not any(codes) else codes})")
        self.jobs_run += ran
        return ran

    def scheduler(self):
        while not self.stopping.wait(self.tick):
            self.run_jobs()

    # --- Whole -----------------------------------------------------------------------------
    def start(self):
        self.secret = secrets.token_urlsafe(50)
        self.database_url = database(self.db_name, drop=self.fresh)
        self.env = self.environment()
        self.say(f"Preparing {self.db_name} (migrate, seed, collectstatic)")
        self.manage("migrate", "--noinput")
        # collectstatic reads no database: it runs beside the seed.
        collect = subprocess.Popen([PYTHON, "manage.py", "collectstatic", "--noinput"],
                                   cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL)
        self.manage("seed")
        if collect.wait():
            raise RuntimeError("collectstatic failed")
        self.certificate()
        self.start_redis()
        self.others["smtp"] = self.spawn("smtp", [
            PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.smtp_port}"])
        for n in range(2):
            self.start_node(n)
        self.others["nginx"] = self.spawn("nginx", self.nginx_config())
        for port in self.node_ports:
            wait_until(lambda port=port: get(f"http://127.0.0.1:{port}", "/healthz")[0] == 200)
        wait_until(lambda: get(self.url, "/healthz")[0] == 200)
        self.others["scheduler"] = threading.Thread(target=self.scheduler, daemon=True)
        self.others["scheduler"].start()
        return self

    def stop(self):
        self.stopping.set()
        for process in [*self.nodes, *self.others.values()]:
            if isinstance(process, subprocess.Popen):
                stop(process, signal.SIGTERM)
        self.nodes = [None, None]
        for listener in filter(None, self.listeners):
            listener.close()
        self.listeners = [None, None]
        if self.fresh:
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()


def stop(process, sig):
    """Stops a process this module started, with every process of its session."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def wait_until(condition, seconds=60, what=None):
    """Waits for `condition`; `what` says what did not come up (its log, say)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"did not come up in {seconds} s: {what() if what else 'see its logs'}")


# --- A small HTTP client: a source address of one's choice and a cookie jar ------------------
UNVERIFIED = ssl.create_default_context()
UNVERIFIED.check_hostname = False
UNVERIFIED.verify_mode = ssl.CERT_NONE  # the certificate made for the run


def get(base, path, **kwargs):
    return request(base, "GET", path, **kwargs)


def request(base, method, path, data=None, headers=None, cookies=None, source="127.0.0.1",
            timeout=30):
    """(status, headers as a list of pairs, body) of one request on a new connection."""
    scheme, _, hostport = base.partition("://")
    host, _, port = hostport.partition(":")
    if scheme == "https":
        conn = http.client.HTTPSConnection(host, int(port), context=UNVERIFIED, timeout=timeout,
                                           source_address=(source, 0))
    else:
        conn = http.client.HTTPConnection(host, int(port), timeout=timeout,
                                          source_address=(source, 0))
    headers = dict(headers or {})
    body = None
    if data is not None:
        body = urlencode(data, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        if cookies is not None:
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    cookies[key] = rest.split(";")[0]
        return response.status, response.getheaders(), content
    finally:
        conn.close()


def main():
    tick = float(os.environ.get("CLUSTER_TICK_SECONDS", "60"))
    cluster = Cluster(db_name=os.environ.get("CLUSTER_DB", "pcc_cluster"), tick=tick)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with cluster:
        print(f"\nPCC Practice behind nginx: {cluster.url}/  (certificate made for this run; "
              f"http://127.0.0.1:{cluster.http_port}/ redirects)\n"
              f"  nodes: 127.0.0.1:{cluster.node_ports[0]} and 127.0.0.1:{cluster.node_ports[1]}"
              f" (gunicorn, 2 workers, 8 threads), PostgreSQL {cluster.db_name}, Redis 127.0.0.1:"
              f"{cluster.redis_port}, mail caught at 127.0.0.1:{cluster.smtp_port}\n"
              f"  timers: each job every {tick:g} s; logs in {cluster.work}\n"
              "Ctrl-C stops everything.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("\nStopping the cluster", flush=True)


if __name__ == "__main__":
    main()
