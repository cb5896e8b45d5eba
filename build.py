"""Build the patient leaflets: ``python build.py --help`` for the options."""

import sys

if __name__ == "__main__":
    try:
        from handout.cli.main import main

        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C before the command line took over (while importing)
        print("build.py: interrupted; nothing was written", file=sys.stderr)
        sys.exit(130)
