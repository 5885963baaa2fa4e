"""DynamoDB's isolation on moto, for the local stack and the in-process integration tests."""

import copy
import threading


def isolated_dynamodb() -> None:
    """DynamoDB never shows a transaction half done, and a failed one changes nothing. moto
    rolls a failed transaction back to a copy of the whole table taken when it began, erasing
    what other requests wrote meanwhile, and lets reads see a transaction midway: the local
    stack answers DynamoDB requests one at a time (the functions still run concurrently). Under
    that lock a failed transaction only needs to restore the items it touched, so the copy of
    the table (60 ms for 300 items, paid by every transaction) becomes a copy of those items."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler

    if getattr(DynamoHandler, "_ea_isolated", False):
        return
    lock = threading.Lock()
    call_action = DynamoHandler.call_action
    transact = DynamoDBBackend.transact_write_items

    def one_at_a_time(self):
        with lock:
            return call_action(self)

    def touched(backend, transact_items):
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            table = backend.tables.get(op.get("TableName"))
            if table is None:
                continue
            try:
                key = op["Key"] if "Key" in op else {
                    a: op["Item"][a] for a in (table.hash_key_attr, table.range_key_attr) if a}
                hash_key, range_key = backend.get_keys_value(table, key)
                yield table, hash_key, range_key, copy.deepcopy(
                    table.get_item(hash_key, range_key))
            except Exception:  # noqa: S112 - moto's own validation answers for a bad key
                continue

    def restoring_what_it_touched(self, transact_items):
        saved = list(touched(self, transact_items))
        Table.__deepcopy__ = lambda table, memo: table
        try:
            return transact(self, transact_items)
        except Exception:
            for table, hash_key, range_key, before in reversed(saved):
                if before is None:
                    table.delete_item(hash_key, range_key)
                elif range_key is not None:
                    table.items[hash_key][range_key] = before
                else:
                    table.items[hash_key] = before
            raise
        finally:
            del Table.__deepcopy__

    DynamoHandler.call_action = one_at_a_time
    DynamoDBBackend.transact_write_items = restoring_what_it_touched
    DynamoHandler._ea_isolated = True
