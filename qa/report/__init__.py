"""HTML coaching reports: team index, one page per agent, one page per transcript."""
