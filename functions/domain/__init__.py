"""The domain every feature shares: the member file, requests, reimbursements, documents,
sessions, notifications and the audit trail. Each module holds models and rules; storage goes
through `domain.repository` alone."""
