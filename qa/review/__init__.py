"""What people decide about automatic results: decisions, acknowledgements and disputes,
review assignments, calibration sessions and the audit trail they all write."""
