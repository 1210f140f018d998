from withus.core.letters import address_block


def test_an_address_is_one_line_each_ending_with_the_postcode_once() -> None:
    assert address_block("Nia Jones", "12 High Street,\n\n  Aberafon,\n", "sa1 1aa") == [
        "Nia Jones",
        "12 High Street",
        "Aberafon",
        "SA1 1AA",
    ]
    written = address_block("Nia Jones", "12 High Street\nSA1 1AA", "SA1 1AA")
    assert written == ["Nia Jones", "12 High Street", "SA1 1AA"]
    assert address_block("Nia Jones", "", "") == ["Nia Jones"]
