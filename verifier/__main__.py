"""`python -m verifier PATH --root-key KEYFILE [--json]`."""

from verifier.cli import main

raise SystemExit(main())
