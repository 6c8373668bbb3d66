"""Run time: `keystow.resolve()` and the reference manifest `keystow run` puts in the environment."""
