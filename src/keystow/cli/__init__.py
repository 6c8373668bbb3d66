"""Command-line layer: the click group (main), one module per command family, the click-free
native hook entry (hook_entry), the error guard and the crash report. Nothing else imports click."""
