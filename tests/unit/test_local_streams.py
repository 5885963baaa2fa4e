"""The local stack reads the table's stream as Lambda's event source mapping does: the
template's filter lets only new outbox items reach the relay."""

from infra.local.streams import kept, matches, stream_sources


def record(event_name, item_type, **image):
    return {"eventName": event_name, "dynamodb": {
        "NewImage": {"type": {"S": item_type}, **image}, "SequenceNumber": "1"}}


def relay_source():
    (source,) = [s for s in stream_sources() if s.function == "OutboxRelayFunction"]
    return source


def test_the_relay_sees_only_new_outbox_items():
    source = relay_source()
    assert source.table == "Table" and source.bisect and source.max_retries == 8
    assert source.on_failure == "OutboxRelayDeadLetterQueue"
    assert kept(source, record("INSERT", "outbox"))
    assert not kept(source, record("MODIFY", "outbox"))  # an update is no new event
    assert not kept(source, record("INSERT", "request"))
    assert not kept(source, {"eventName": "REMOVE", "dynamodb": {"SequenceNumber": "2"}})


def test_filter_rules_behave_as_lambdas():
    assert matches({"a": [{"prefix": "OUT"}]}, {"a": "OUTBOX#1"})
    assert not matches({"a": [{"prefix": "OUT"}]}, {"a": "CLAIM#1"})
    assert matches({"a": [{"anything-but": ["x"]}]}, {"a": "y"})
    assert not matches({"a": [{"anything-but": ["x"]}]}, {"a": "x"})
    assert matches({"a": [{"exists": False}]}, {"b": 1})
    assert matches({"n": [{"numeric": [">", 2, "<=", 5]}]}, {"n": 5})
    assert not matches({"n": [{"numeric": [">", 2]}]}, {"n": 1})
    assert not matches({"a": {"b": ["c"]}}, {"a": "c"})
