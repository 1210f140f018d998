"""Pieces every printed letter shares, whoever sends it."""

from __future__ import annotations


def address_block(name: str, address: str, postcode: str) -> list[str]:
    """A name and postal address, a line each, ending with the postcode (written once, in capitals).

    Blank lines and trailing commas people type into an address box are dropped, and a
    postcode already written as the last line of the address is not written twice.
    """
    lines = [name]
    lines += [line.strip().rstrip(",") for line in address.splitlines() if line.strip()]
    postcode = postcode.strip().upper()
    if postcode and postcode not in {line.upper() for line in lines}:
        lines.append(postcode)
    return lines
