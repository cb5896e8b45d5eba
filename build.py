"""Build the patient leaflets: ``python build.py --help`` for the options."""

import sys

from handout.cli import main

if __name__ == "__main__":
    sys.exit(main())
