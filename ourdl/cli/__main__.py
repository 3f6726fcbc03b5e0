"""``python -m ourdl.cli``: the ``ourdl`` command without the installed script."""

import sys

from . import main

sys.exit(main())
