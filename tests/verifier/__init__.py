"""Tests of the standalone verifier (verifier/), against exports written by logbuilder.py."""
