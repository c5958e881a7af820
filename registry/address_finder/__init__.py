"""Finding an address by its postcode, through Ordnance Survey's Places API.

- `places.addresses_at(postcode, building=None)`: the addresses OS knows at a postcode, as
  `FoundAddress` values, or `AddressFinderUnavailable` when they cannot be had (no key, OS down,
  slow, or answering nonsense).
- `found.FoundAddress`: one address as the register keeps it (three lines, town, postcode, UPRN
  and coordinates), and which of the register's required parts it lacks.
- `forms`: the questions ("Find an address", "Select an address", the address typed in).
- `steps`: the flow steps any `registry.pages.flows.Flow` can ask its address with
  (`AddressFinderFlow`, `address_steps`).
"""
