#!/usr/bin/env python
"""Django's manage.py; `gisioc` is the same thing as a console script."""

from gisioc.cli import main

if __name__ == "__main__":
    main()
