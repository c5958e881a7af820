from tests.support.fake_places import fake_places  # noqa: F401  (a fixture)
