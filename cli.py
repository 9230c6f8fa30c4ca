"""Run the itdocs command line from a checkout: ``python cli.py --help``."""
from itdocs.cli import main

if __name__ == "__main__":
    main()
