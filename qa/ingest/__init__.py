"""Ingest: read calls, chats and emails into Interactions."""
