"""The way out: the relay (the table's stream of outbox items → the EventBridge bus) and the
mailer (the bus's emails → SES, each sent once). See docs/integration.md."""
