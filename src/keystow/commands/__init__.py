"""Each command is a plain function with explicit arguments that returns an exit code."""
