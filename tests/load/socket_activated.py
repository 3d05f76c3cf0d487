"""Runs a command as systemd runs a socket-activated service (deploy/systemd/
pcc-practice.socket): `socket_activated.py FD COMMAND...` gives the command the listening
socket FD as descriptor 3, named by LISTEN_FDS=1 and LISTEN_PID (this process, which becomes
the command)."""

import os
import sys

os.dup2(int(sys.argv[1]), 3)
os.environ.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
os.execv(sys.argv[2], sys.argv[2:])  # noqa: S606 - becomes the command, as systemd runs it
