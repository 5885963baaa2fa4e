"""The management system's side: what it sends (FHIR resources, in inbox files or one by one)
applied to the portal's items."""
