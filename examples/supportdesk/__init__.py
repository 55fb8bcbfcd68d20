"""Ledgerline support desk: the chat assistant, ticket triage and nightly ticket jobs."""
