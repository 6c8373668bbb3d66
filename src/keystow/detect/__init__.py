"""Detection: rules as data, one multi-pattern pass, confirmation, entropy and checksums."""
