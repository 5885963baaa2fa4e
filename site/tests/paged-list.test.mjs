// The paged list's logic without a browser: `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { listStatus, Pager } from "../docs/assets/js/components/paged-list.js";

/** A fake API over `items`: pages of `size`, and, like DynamoDB, a cursor after a full page
 * even when nothing follows. Records the cursors it was asked for. */
function fakeApi(items, size) {
  const calls = [];
  const fetchPage = async (cursor) => {
    calls.push(cursor ?? null);
    const start = cursor ? Number(cursor) : 0;
    const page = items.slice(start, start + size);
    return { items: page, next: page.length === size ? String(start + size) : null };
  };
  return { fetchPage, calls };
}

const range = (count) => Array.from({ length: count }, (_, index) => index + 1);

test("a full last page does not offer « Voir plus »", async () => {
  const { fetchPage } = fakeApi(range(40), 20);
  const pager = new Pager(fetchPage);
  assert.equal((await pager.first()).length, 20);
  assert.equal(await pager.hasMore(), true);
  assert.equal((await pager.more()).length, 20);
  assert.equal(await pager.hasMore(), false);
  assert.deepEqual(await pager.more(), []);
  assert.deepEqual(pager.items, range(40));
});

test("« Voir plus » shows the page already read ahead, without asking again", async () => {
  const { fetchPage, calls } = fakeApi(range(45), 20);
  const pager = new Pager(fetchPage);
  await pager.first();
  await pager.hasMore();
  assert.deepEqual(calls, [null, "20"]);
  await pager.more();
  assert.deepEqual(calls, [null, "20", "40"]);
  assert.equal((await pager.more()).length, 5);
  assert.equal(await pager.hasMore(), false);
  assert.equal(pager.items.length, 45);
});

test("short lists and empty lists have nothing more", async () => {
  for (const count of [0, 1, 19]) {
    const pager = new Pager(fakeApi(range(count), 20).fetchPage);
    assert.equal((await pager.first()).length, count);
    assert.equal(await pager.hasMore(), false, String(count));
  }
});

test("an empty page with a cursor is followed, not shown", async () => {
  const pages = {
    start: { items: [1, 2], next: "a" },
    a: { items: [], next: "b" },
    b: { items: [3], next: null },
  };
  const pager = new Pager(async (cursor) => pages[cursor ?? "start"]);
  await pager.first();
  assert.equal(await pager.hasMore(), true);
  assert.deepEqual(await pager.more(), [3]);
  assert.equal(await pager.hasMore(), false);
});

test("a failed read-ahead keeps « Voir plus », and the click tries again", async () => {
  let failures = 1;
  const { fetchPage } = fakeApi(range(30), 20);
  const pager = new Pager(async (cursor) => {
    if (cursor && failures-- > 0) throw new Error("réseau");
    return fetchPage(cursor);
  });
  await pager.first();
  assert.equal(await pager.hasMore(), true);
  assert.equal((await pager.more()).length, 10);
  assert.equal(await pager.hasMore(), false);
});

test("removed items leave the list, not the cursors", async () => {
  const pager = new Pager(fakeApi(range(25), 20).fetchPage);
  await pager.first();
  pager.remove((item) => item === 3);
  assert.equal(pager.items.length, 19);
  assert.equal((await pager.more()).length, 5);
  assert.equal(pager.items.includes(3), false);
});

test("the status line counts in French", () => {
  const words = { noun: ["remboursement", "remboursements"], shown: ["affiché", "affichés"] };
  assert.equal(listStatus({ count: 1, ...words }), "1 remboursement affiché.");
  assert.equal(listStatus({ count: 20, ...words, suffix: " pour Inès Lambert" }), "20 remboursements affichés pour Inès Lambert.");
  assert.equal(listStatus({ count: 21, added: 1, ...words }), "1 remboursement de plus. 21 remboursements affichés.");
});
