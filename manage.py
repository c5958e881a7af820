#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    # A web request's statement time limit (DATABASE_STATEMENT_TIMEOUT_MS) would cut off migrations,
    # the import and the other work commands do; commands have a limit of their own, none by default.
    os.environ["DATABASE_STATEMENT_TIMEOUT_MS"] = os.environ.get("DATABASE_COMMAND_STATEMENT_TIMEOUT_MS", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
