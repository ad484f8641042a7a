"""Campaigns: what marketing currently offers, and statements that contradict it."""
