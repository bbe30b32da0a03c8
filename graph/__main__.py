"""``python -m graph`` runs the ``alliance-graph`` command line."""

import sys

from graph.cli import main

sys.exit(main())
