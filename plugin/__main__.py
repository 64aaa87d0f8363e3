"""`python -m plugin serve ...`: headless mode (see plugin/headless/cli.py and docs/headless.md).

Anki never imports this module when it loads the add-on; run as a program, the
package's `__init__` sees no Anki window and stays out of the way.
"""

from __future__ import annotations

import sys

from .headless.cli import main

if __name__ == "__main__":
    sys.exit(main())
