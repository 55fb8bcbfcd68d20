"""Ledgerline support, written the way promptlint recommends: every module here should lint clean."""
