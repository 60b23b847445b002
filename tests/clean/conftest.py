from __future__ import annotations

import sys
from pathlib import Path

# The tests share fixtures.py with each other and with bench/: no package needed.
sys.path.insert(0, str(Path(__file__).resolve().parent))
