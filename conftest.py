"""Project-wide pytest configuration: the fixture plugins every test directory shares."""

pytest_plugins = [
    "fixtures.evidence",
    "fixtures.manifests",
    "fixtures.live",
    "fixtures.s3",
    "fixtures.nodes",
    "fixtures.results",
    "fixtures.upgrade",
    "fixtures.requirement_select",
]
