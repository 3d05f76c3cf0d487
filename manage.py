#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcc_practice.settings")
    # Commands run from a checkout default to development settings, so that a newcomer needs no
    # secret key. The web server (wsgi.py) never does: it runs with debug off unless told.
    # Set DJANGO_DEBUG=0 for commands against production (check --deploy does).
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
