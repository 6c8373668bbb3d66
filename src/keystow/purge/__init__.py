"""`keystow purge`: remove selected secrets from every commit, through git-filter-repo.

Stages, one module each: `plan` (which secrets, replaced by what), `expressions` (the
replace-text file, private and short-lived), `backup` (bundle and remote configuration),
`rewrite` (filter-repo itself), `verify` (re-scan history), `dryrun` (what would change) and
`report` (the aftercare checklist). `keystow.commands.purge` runs them in order.
"""
