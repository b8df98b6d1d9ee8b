"""Read models built from the log and nothing else; each remembers the position it has applied, in the same
transaction as its rows, so an entry is applied exactly once."""
