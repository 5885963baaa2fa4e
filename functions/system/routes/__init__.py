"""Routes of the management system (IAM-signed calls only)."""
