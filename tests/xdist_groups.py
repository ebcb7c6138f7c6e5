"""Makes `--dist loadgroup` honour `@pytest.mark.xdist_group` again under pytest 9.

pytest-xdist tells the controller a test's group by appending `@<group>` to the test's node id on the worker: it
assigns `item._nodeid`, which pytest 9 no longer reads (a node's id is now the structured `item._id`). The groups
were therefore silently ignored and the tests of one group spread over both workers. This plugin (registered by
tests/conftest.py, or `-p tests.xdist_groups`) renames the same items on each worker of a `--dist loadgroup` run,
after xdist's own hook, in the form xdist's scheduler reads (`path::test[params]@group`). Where xdist's renaming
works (pytest < 9, or a fixed xdist), the id already ends in the suffix and nothing is changed.
"""

from __future__ import annotations

import pytest


def group_suffix(item: pytest.Item) -> str:
    """`@a_b` for an item marked with groups a and b (as xdist joins them), or "" for an ungrouped item."""
    names = {
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    }
    return "@" + "_".join(sorted(names)) if names else ""


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    result = yield
    # xdist sets this option on its workers of a `--dist loadgroup` run; the controller collects nothing.
    if not getattr(config.option, "loadgroup", False):
        return result
    from _pytest.nodeid import NodeId

    for item in items:
        suffix = group_suffix(item)
        if suffix and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)
    return result
