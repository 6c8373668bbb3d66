"""A value that does not read back as written leaves its files untouched (apply, against a store
that answers wrongly: moto never does, so this uses a small store of our own interface)."""

from __future__ import annotations

from keystow.migrate.apply import Stores, apply_plan
from keystow.migrate.journal import Journal
from keystow.migrate.plan import Settings, build_plan
from keystow.migrate.stores import PutResult
from testing.fakes import Fakes
from tests.migrate.test_plan_build import finding


class ForgetfulStore:
    """Accepts every write; reads back something else for names in `wrong`."""

    kind = "ssm"

    def __init__(self, wrong: set[str]) -> None:
        self.values, self.wrong = {}, wrong

    def put(self, name, value, *, tags, overwrite=False):
        self.values[name] = value
        return PutResult(name, "1", "created")

    def get(self, name):
        return "something else" if name in self.wrong else self.values.get(name)

    def arn(self, name):
        return name


def test_unverified_value_keeps_its_sites(tmp_path):
    root = tmp_path / "app"
    root.mkdir()
    fakes = Fakes(23)
    good, bad = fakes.password(20), fakes.password(20)
    (root / "a.py").write_text(f'import os\nGOOD = "{good}"\nBAD = "{bad}"\n')
    findings = [finding(root, "a.py", good), finding(root, "a.py", bad)]
    plan = build_plan(root, root, Settings(store="ssm"), findings)
    store = ForgetfulStore({"/app/a/bad"})
    journal = Journal.create(root, plan.settings, {})
    report = apply_plan(plan, Stores(lambda kind: store), journal)
    assert report.failed == ["/app/a/bad"] and report.stored == ["/app/a/good"]
    assert (root / "a.py").read_text() == f'import os\nGOOD = os.environ["GOOD"]\nBAD = "{bad}"\n'
    assert journal.data["items"][plan.items[1].item_id]["status"] == "unverified"
    assert (root / ".keystow-refs.toml").read_text().endswith('GOOD = "ssm:/app/a/good"\n')
