from tests.checks.conftest import found


def test_empty_translation_of_a_non_empty_source():
    [finding] = found("omission", ["Der Rat tagte.", ""], source=["The council met.", "It approved the plan."])
    assert finding.segment == 1


def test_much_shorter_translation_is_found():
    source = "The committee, which advises the city council on its heat action plan, met on Tuesday to discuss it."
    [finding] = found("omission", "Der Ausschuss tagte.", source=source)
    assert "content may be missing" in finding.message


def test_full_translation_and_target_only_are_not_flagged():
    source = "The committee, which advises the city council on its heat action plan, met on Tuesday to discuss it."
    target = "Der Ausschuss, der den Stadtrat bei seinem Hitzeaktionsplan berät, tagte am Dienstag, um ihn zu besprechen."
    assert found("omission", target, source=source) == []
    assert found("omission", "Der Ausschuss tagte.") == []
