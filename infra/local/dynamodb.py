"""DynamoDB's isolation on moto, for the local stack and the in-process integration tests."""

import base64
import copy
import json
import threading
from datetime import datetime

# Item operations whose results moto already holds in DynamoDB's wire format: they are written
# as JSON directly instead of through moto's generic, shape-walking serializer, which took 60 %
# of an integration test's time (tests/integration/test_local_stack.py checks both agree).
WIRE_FORMAT_OPERATIONS = frozenset({
    "GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems", "PutItem", "UpdateItem",
    "DeleteItem", "BatchWriteItem", "TransactWriteItems"})


# Tests set VERIFY to have every fast answer compared with moto's own; differences are kept here.
VERIFY = False
MISMATCHES: list[tuple] = []


def _wire(value):
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.utilities import dynamo_to_dict

    if isinstance(value, DynamoType):  # an attribute as moto stores it: {type: value}
        return dynamo_to_dict(value) if value.type in ("B", "BS") else {value.type: value.value}
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(f"{type(value).__name__} is not part of DynamoDB's wire format")


def fast_result(result: object, operation_model):
    """The answer of an item operation, or None when moto's own serializer must make it."""
    if operation_model.name not in WIRE_FORMAT_OPERATIONS or not isinstance(result, dict):
        return None
    members = operation_model.output_shape.members  # what the API answers, nothing more
    body = json.dumps({k: v for k, v in result.items() if k in members and v is not None},
                      default=_wire, separators=(",", ":"))
    return 200, {"Content-Type": "application/x-amz-json-1.0"}, body


def isolated_dynamodb() -> None:
    """DynamoDB never shows a transaction half done, and a failed one changes nothing. moto
    rolls a failed transaction back to a copy of the whole table taken when it began, erasing
    what other requests wrote meanwhile, and lets reads see a transaction midway: the local
    stack answers DynamoDB requests one at a time (the functions still run concurrently). Under
    that lock a failed transaction only needs to restore the items it touched, so the copy of
    the table (60 ms for 300 items, paid by every transaction) becomes a copy of those items."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler, DynamoResult

    if getattr(DynamoHandler, "_ea_isolated", False):
        return
    narrow_queries()
    parse_updates_once()
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
        # A failed transaction leaves nothing in the stream either (moto records each write
        # of it as it goes): the outbox relay must never see an event of a change not made.
        streams = {id(t.stream_shard): (t.stream_shard, len(t.stream_shard.items))
                   for t, *_ in saved if t.stream_shard is not None}
        Table.__deepcopy__ = lambda table, memo: table
        try:
            return transact(self, transact_items)
        except Exception:
            for shard, length in streams.values():
                del shard.items[length:]
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

    serialize = DynamoResult.execute_result
    convert = DynamoResult.__init__

    def kept_as_stored(self, result):
        # moto converts every attribute into a new dict when the answer is made; the JSON
        # encoder writes the stored attributes directly (`_wire`), so a dict answer is kept
        # as it is until moto's own serializer needs it converted.
        if isinstance(result, dict):
            self._result, self._ea_stored = result, True
        else:
            convert(self, result)

    def in_wire_format(self, context):
        fast = fast_result(self.result, context.operation_model)
        if fast is None or VERIFY:
            if getattr(self, "_ea_stored", False):
                convert(self, self._result)
                self._ea_stored = False
            slow = serialize(self, context)
        if fast is not None and VERIFY and (slow[0], slow[1], json.loads(slow[2])) != (
                fast[0], fast[1], json.loads(fast[2])):
            MISMATCHES.append((str(context.operation_model.name), slow, fast))
        return fast if fast is not None else slow

    DynamoResult.__init__ = kept_as_stored
    DynamoResult.execute_result = in_wire_format
    DynamoHandler.call_action = one_at_a_time
    DynamoDBBackend.transact_write_items = restoring_what_it_touched
    DynamoHandler._ea_isolated = True


def parse_updates_once() -> None:
    """moto parses an update expression twice a call (the request's check, then the update)
    and counts its SET/REMOVE/ADD clauses again at every nested node of it (quadratic in the
    clauses): a fifth of the demo seed's time, which every local stack and test process pays
    (the seed's files go through the ingest's updates). Here an expression's text is parsed
    once, its tree shared (moto reads it, and validates a copy of it), and its clauses counted
    at the root only, which holds all of them: the same answers and the same errors
    (tests/integration/test_local_dynamodb.py)."""
    import functools

    from moto.dynamodb.parsing import expressions, validators

    if getattr(expressions.UpdateExpressionParser, "_ea_once", False):
        return
    make = expressions.UpdateExpressionParser.make.__func__
    expressions.UpdateExpressionParser.make = classmethod(
        functools.lru_cache(maxsize=512)(make))
    count = validators.ActionCountValidator.verify_action_counts
    validators.ActionCountValidator.verify_action_counts = (
        lambda self, node: node if node.parent is not None else count(self, node))
    expressions.UpdateExpressionParser._ea_once = True


def _query_answer(answer: tuple) -> tuple:
    items, scanned, last_key = answer
    return [item.to_json() for item in items], scanned, last_key


def narrow_queries() -> None:
    """moto answers a Query by walking every item of the table (every member's), sorting
    them, and sizing each item of the partition whether its sort key matches or not: 40 ms a
    call on the demo table, under the lock above, so every request of every function waited
    on it. The items a Query can return are handed to moto's own Query instead: the
    partition's items whose sort key matches the key condition (or, on an index, the items
    whose index keys equal the condition's); moto then orders, pages, filters and projects
    them as before. tests/integration/test_local_dynamodb.py compares both answers."""
    from moto.dynamodb.models import table as table_module
    from moto.dynamodb.models.dynamo_type import DynamoType, Item
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.models.utilities import bytesize

    if getattr(Table, "_ea_narrowed", False):
        return
    query, all_items = Table.query, Table.all_items
    local = threading.local()

    class Copies:
        """moto copies a Query's items before filtering and projecting them: a plain Query
        (no projection, no index) changes none, and its answer is written under the lock, so
        the copy (a third of its time) is skipped."""

        def __getattr__(self, name):
            return getattr(copy, name)

        @staticmethod
        def deepcopy(value, memo=None):
            return value if getattr(local, "as_stored", False) else copy.deepcopy(value, memo)

    table_module.copy = Copies()

    def value_size(value) -> int:  # DynamoType.size, without its type tests and wrappers
        kind, inner = value.type, value.value
        if kind == "N":
            return len(str(inner))
        if kind == "M":
            return sum(bytesize(k) + value_size(v if isinstance(v, DynamoType) else DynamoType(v))
                       for k, v in inner.items())
        if kind == "L":
            return sum(value_size(v if isinstance(v, DynamoType) else DynamoType(v))
                       for v in inner)
        if kind in ("SS", "NS", "BS"):
            return value.size()
        return 1 if isinstance(inner, bool) else bytesize(inner)

    sizes = Item.size

    def item_size(self) -> int:
        size = sum(bytesize(key) + value_size(value) for key, value in self.attrs.items())
        if VERIFY and size != sizes(self):
            MISMATCHES.append(("size", sizes(self), size))
        return size

    def same(value, expected) -> bool:
        return value is not None and value.type == expected.type and value == expected

    def candidates(table, hash_key, range_comparison, range_objs, index_name, hash_conditions,
                   range_conditions):
        if index_name:
            if not hash_conditions:
                return None
            return [item for item in all_items(table) if isinstance(item, Item) and all(
                same(item.attrs.get(name), value) for name, value in hash_conditions)]
        if not table.range_key_attr or hash_key is None or len(range_conditions or ()) > 1:
            return None
        items = [i for i in table.items.get(hash_key, {}).values() if isinstance(i, Item)]
        if range_comparison:
            items = [i for i in items if i.range_key.compare(range_comparison, range_objs)]
        return items

    def narrowed_query(self, hash_key, range_comparison, range_objs, limit,
                       exclusive_start_key, scan_index_forward, projection_expressions,
                       index_name=None, consistent_read=False, filter_expression=None,
                       hash_key_conditions=None, range_key_conditions=None, **filter_kwargs):
        found = candidates(self, hash_key, range_comparison, range_objs, index_name,
                           hash_key_conditions, range_key_conditions)
        if VERIFY:
            slow = query(self, hash_key, range_comparison, range_objs, limit,
                         exclusive_start_key, scan_index_forward, projection_expressions,
                         index_name, consistent_read, filter_expression,
                         hash_key_conditions=hash_key_conditions,
                         range_key_conditions=range_key_conditions, **filter_kwargs)
        if found is not None and not index_name:
            # Every candidate matches the sort key's condition already.
            range_comparison, range_objs, range_key_conditions = None, [], None
        local.items = found
        local.as_stored = found is not None and not index_name and not projection_expressions
        try:
            fast = query(self, hash_key, range_comparison, range_objs, limit,
                         exclusive_start_key, scan_index_forward, projection_expressions,
                         index_name, consistent_read, filter_expression,
                         hash_key_conditions=hash_key_conditions,
                         range_key_conditions=range_key_conditions, **filter_kwargs)
        finally:
            local.items, local.as_stored = None, False
        if VERIFY and _query_answer(slow) != _query_answer(fast):
            MISMATCHES.append(("Query", _query_answer(slow), _query_answer(fast)))
        return fast

    def narrowed_items(self):
        found = getattr(local, "items", None)
        return all_items(self) if found is None else found

    Item.size = item_size
    Table.query = narrowed_query
    Table.all_items = narrowed_items
    Table._ea_narrowed = True
