"""Allow `python -m ldkit`."""

from ldkit.cli import main

if __name__ == "__main__":
    main()
