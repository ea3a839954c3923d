"""Entry point of `python -m minio_conformance.reporting`."""

import sys

from minio_conformance.reporting.cli import main

sys.exit(main())
