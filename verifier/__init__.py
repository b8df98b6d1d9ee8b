"""pb-verify: the standalone verifier of pb-ledger logs (docs/log-format.md).

It imports only the Python standard library and `cryptography`, and shares no code with the service.
"""

from __future__ import annotations

from verifier.report import Report
from verifier.verification import verify_export

__all__ = ["Report", "verify_export"]
