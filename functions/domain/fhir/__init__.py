"""The portal's FHIR profile (R4B): the names every mapping to and from the management system
shares. The mappings themselves live with their callers."""
